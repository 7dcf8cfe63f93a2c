package io.callpark.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another local user, as a test (running as root) plays one: a command run as that user (setpriv, its own groups,
 * no capabilities), and what /proc tells about a process's owner.
 */
public final class LocalUser {

    /** Exit code and output (stdout and stderr) of one command. */
    public record Run(int exitCode, String output) {
    }

    private final String name;

    public LocalUser(String name) {
        this.name = name;
    }

    public static boolean testsRunAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public String name() {
        return name;
    }

    /** The user's uid (from the system's user database). */
    public int uid() throws Exception {
        Run id = exec(List.of("id", "-u", name));
        if (id.exitCode() != 0) {
            throw new IllegalStateException("no user " + name + ": " + id.output());
        }
        return Integer.parseInt(id.output().trim());
    }

    /** {@code command} run as this user, with its primary group and the groups it belongs to. */
    public Run run(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=" + name, "--regid=" + groupOf(name),
                "--init-groups", "--inh-caps=-all", "--bounding-set=-all", "--", "env", "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin"));
        full.addAll(List.of(command));
        return exec(full);
    }

    /** Whether this user can open {@code file} for reading. */
    public boolean canRead(Path file) throws Exception {
        return run("head", "-c", "1", file.toString()).exitCode() == 0;
    }

    /** The real, effective, saved and file-system uids of a process (/proc/PID/status "Uid:"). */
    public static List<Integer> uids(long pid) throws IOException {
        return statusField(pid, "Uid:").stream().map(Integer::parseInt).toList();
    }

    /** A /proc/PID/status field's values, e.g. "CapEff:". */
    public static List<String> statusField(long pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                .filter(line -> line.startsWith(field))
                .findFirst()
                .map(line -> List.of(line.substring(field.length()).trim().split("\\s+")))
                .orElseThrow(() -> new IllegalStateException("no " + field + " for pid " + pid));
    }

    private static String groupOf(String user) throws Exception {
        Run group = exec(List.of("id", "-gn", user));
        if (group.exitCode() != 0) {
            throw new IllegalStateException("no user " + user + ": " + group.output());
        }
        return group.output().trim();
    }

    private static Run exec(List<String> command) throws Exception {
        Path out = Files.createTempFile("local-user-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out");
            }
            return new Run(process.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
