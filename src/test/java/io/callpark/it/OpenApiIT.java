package io.callpark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.callpark.testing.ApiClient.Reply;
import io.callpark.testing.ApiClient;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 4: the OpenAPI document is served by the app, is the one in docs/, and names every operation there is. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OpenApiIT extends PhonesOnTestNetwork {

    private static final java.nio.file.Path DOCUMENT = java.nio.file.Path.of("docs/openapi.yaml");
    private static final Map<Class<? extends Annotation>, String> METHODS = Map.of(GET.class, "get", POST.class,
            "post", PUT.class, "put", PATCH.class, "patch", DELETE.class, "delete");

    @Test
    void theAppServesTheDocumentKeptInDocsWithoutAKey() throws Exception {
        Reply served = new ApiClient(ApiClient.testServerBase(), null).get("/openapi.yaml");
        assertEquals(200, served.status());
        assertTrue(served.contentType().startsWith("application/yaml"), served.contentType());
        assertEquals(Files.readString(DOCUMENT), served.body());
    }

    @Test
    void theDocumentNamesExactlyTheOperationsOfTheResources() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
        assertEquals("3.1.0", doc.path("openapi").asText());
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(m -> {
                if (METHODS.containsValue(m)) {
                    documented.add(m.toUpperCase() + " " + path.getKey());
                }
            });
        }
        assertEquals(implemented(), documented, "docs/openapi.yaml and the JAX-RS resources differ");
    }

    /** "METHOD /path" of every resource method in io.callpark.rest, as JAX-RS serves them. */
    private static Set<String> implemented() throws Exception {
        Set<String> operations = new TreeSet<>();
        java.nio.file.Path classes = java.nio.file.Path.of("target/classes/io/callpark/rest");
        try (Stream<java.nio.file.Path> files = Files.list(classes)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                Class<?> type = Class.forName("io.callpark.rest." + file.getFileName().toString().replace(".class", ""));
                Path root = type.getAnnotation(Path.class);
                if (root == null || Modifier.isAbstract(type.getModifiers())) {
                    continue;
                }
                for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
                    for (Method m : c.getDeclaredMethods()) {
                        for (Map.Entry<Class<? extends Annotation>, String> http : METHODS.entrySet()) {
                            if (m.isAnnotationPresent(http.getKey())) {
                                Path sub = m.getAnnotation(Path.class);
                                operations.add(http.getValue().toUpperCase() + " " + join(root.value(),
                                        sub == null ? "" : sub.value()));
                            }
                        }
                    }
                }
            }
        }
        assertTrue(operations.size() > 20, "resources found: " + operations);
        return operations;
    }

    private static String join(String root, String sub) {
        String path = Stream.of(root, sub).filter(s -> !s.isEmpty())
                .map(s -> s.replaceAll("^/+|/+$", "")).reduce((a, b) -> a + "/" + b).orElse("");
        return "/" + path;
    }

}
