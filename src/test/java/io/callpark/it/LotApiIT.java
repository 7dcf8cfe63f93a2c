package io.callpark.it;

import io.callpark.testing.ApiClient.Reply;
import io.callpark.testing.ApiClient;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tenant's parking lots through the REST API. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LotApiIT extends PhonesOnTestNetwork {

    private static final String TENANT = "/tenants/lots.test";
    private static final String LOTS = TENANT + "/lots";
    private final ApiClient operator = ApiClient.operator();

    @BeforeEach
    void tenant() throws Exception {
        assertEquals(201, operator.put(TENANT, "{}").status());
    }

    @AfterEach
    void noTenant() throws Exception {
        operator.delete(TENANT);
    }

    private static List<String> names(Reply reply) {
        List<String> names = new ArrayList<>();
        reply.json().path("lots").forEach(l -> names.add(l.path("name").asText()));
        return names;
    }

    private static void assertProblem(int status, String type, Reply reply) {
        assertEquals(status, reply.status(), reply.body());
        assertTrue(reply.isProblem(), reply.body());
        assertTrue(reply.json().path("type").asText().endsWith("/" + type), reply.body());
    }

    @Test
    void aLotWhoseSlotOrCodeIsAUsersExtensionIsRefused() throws Exception {
        String acme = "/tenants/" + io.callpark.testing.TestNetwork.ACME;
        operator.put(acme, "{}");
        Reply slots = operator.post(acme + "/lots", "{\"name\": \"shadow\", \"first\": 100, \"last\": 110}");
        assertProblem(409, "extension-clash", slots);
        assertTrue(slots.json().path("detail").asText().endsWith("101, 102, 103, 104, 105"), slots.body());
        Reply code = operator.post(acme + "/lots", "{\"name\": \"shadow\", \"first\": 900, \"last\": 901,"
                + " \"code\": \"103\"}");
        assertProblem(409, "extension-clash", code);
        assertEquals(0, operator.get(acme + "/lots").json().path("lots").size(), "nothing was created");
    }

    @Test
    void lotsAreCreatedListedReadReplacedRenamedAndDeleted() throws Exception {
        Reply created = operator.post(LOTS, "{\"name\": \"main\", \"first\": 701, \"last\": 720, \"code\": \"700\"}");
        assertEquals(201, created.status(), created.body());
        assertTrue(created.raw().headers().firstValue("Location").orElse("").endsWith(LOTS + "/main"));
        assertEquals("main", created.json().path("name").asText());
        assertEquals(701, created.json().path("first").asInt());
        assertEquals(720, created.json().path("last").asInt());
        assertEquals("700", created.json().path("code").asText());
        assertEquals(20, created.json().path("slots").asInt());
        Reply noCode = operator.post(LOTS, "{\"name\": \"side\", \"first\": 801, \"last\": 801}");
        assertEquals(201, noCode.status(), noCode.body());
        assertEquals("", noCode.json().path("code").asText(), "a code left out is none");
        assertEquals(1, noCode.json().path("slots").asInt());

        assertEquals(List.of("main", "side"), names(operator.get(LOTS)));
        Reply read = operator.get(LOTS + "/main");
        assertEquals(200, read.status(), read.body());
        assertEquals(created.json(), read.json());

        Reply replaced = operator.put(LOTS + "/main", "{\"first\": 711, \"last\": 730}");
        assertEquals(200, replaced.status(), replaced.body());
        assertEquals("main", replaced.json().path("name").asText(), "a name left out is kept");
        assertEquals(711, replaced.json().path("first").asInt());
        assertEquals(20, replaced.json().path("slots").asInt());
        assertEquals("", replaced.json().path("code").asText(), "PUT replaces all: the code left out is none");

        Reply renamed = operator.put(LOTS + "/main", "{\"name\": \"front\", \"first\": 711, \"last\": 730,"
                + " \"code\": \"710\"}");
        assertEquals(200, renamed.status(), renamed.body());
        assertEquals("front", renamed.json().path("name").asText());
        assertEquals("710", renamed.json().path("code").asText());
        assertEquals(404, operator.get(LOTS + "/main").status(), "renamed away");
        assertEquals(renamed.json(), operator.get(LOTS + "/front").json());
        assertEquals(Set.of("side", "front"), Set.copyOf(names(operator.get(LOTS))));

        assertEquals(204, operator.delete(LOTS + "/front").status());
        assertEquals(404, operator.get(LOTS + "/front").status());
        assertProblem(404, "not-found", operator.delete(LOTS + "/front"));
        assertProblem(404, "not-found", operator.put(LOTS + "/front", "{\"first\": 1, \"last\": 2}"));
        assertEquals(List.of("side"), names(operator.get(LOTS)));
    }

    @Test
    void invalidLotsAreRefusedWholeNamingEveryRule() throws Exception {
        record Bad(String body, String field, String rule) {
        }
        for (Bad bad : List.of(
                new Bad("{\"first\": 701, \"last\": 720}", "name", "required"),
                new Bad("{\"name\": \"front desk!\", \"first\": 701, \"last\": 720}", "name", "pattern"),
                new Bad("{\"name\": \"a\", \"last\": 720}", "first", "required"),
                new Bad("{\"name\": \"a\", \"first\": 701}", "last", "required"),
                new Bad("{\"name\": \"a\", \"first\": \"701\", \"last\": 720}", "first", "type"),
                new Bad("{\"name\": \"a\", \"first\": 0, \"last\": 720}", "first", "range"),
                new Bad("{\"name\": \"a\", \"first\": 1, \"last\": 100000000}", "last", "range"),
                new Bad("{\"name\": \"a\", \"first\": 720, \"last\": 701}", "last", "order"),
                new Bad("{\"name\": \"a\", \"first\": 701, \"last\": 901}", "last", "size"),
                new Bad("{\"name\": \"a\", \"first\": 701, \"last\": 720, \"code\": \"*70\"}", "code", "pattern"),
                new Bad("{\"name\": \"a\", \"first\": 701, \"last\": 720, \"code\": 700}", "code", "type"),
                new Bad("{\"name\": \"a\", \"first\": 701, \"last\": 720, \"code\": \"705\"}", "code", "own-slot"),
                new Bad("{\"name\": \"a\", \"first\": 701, \"last\": 720, \"slots\": 20}", "slots", "unknown-field"),
                new Bad("{\"name\": \"a\", \"first\": 701, \"last\": 720, \"colour\": 1}", "colour",
                        "unknown-field"))) {
            Reply r = operator.post(LOTS, bad.body());
            assertEquals(422, r.status(), bad.body() + " -> " + r.body());
            assertTrue(r.names(bad.field(), bad.rule()), bad.body() + " -> " + r.body());
        }
        assertEquals(0, operator.get(LOTS).json().path("lots").size(), "nothing was created");

        assertEquals(201, operator.post(LOTS, "{\"name\": \"main\", \"first\": 701, \"last\": 720}").status());
        Reply badChange = operator.put(LOTS + "/main", "{\"name\": \"x y\", \"first\": 720, \"last\": 701}");
        assertEquals(422, badChange.status(), badChange.body());
        assertTrue(badChange.names("name", "pattern") && badChange.names("last", "order"), badChange.body());
        assertEquals(701, operator.get(LOTS + "/main").json().path("first").asInt(), "nothing was changed");
        assertEquals(400, operator.post(LOTS, "[1]").status());
        assertEquals(404, operator.get("/tenants/unconfigured.test/lots").status(),
                "lots belong to a configured tenant");
    }

    @Test
    void namesAreUniqueAndNoSlotOrCodeIsTwoLots() throws Exception {
        assertEquals(201, operator.post(LOTS, "{\"name\": \"main\", \"first\": 701, \"last\": 720, \"code\": \"700\"}")
                .status());
        assertEquals(201, operator.post(LOTS, "{\"name\": \"side\", \"first\": 801, \"last\": 810}").status());

        assertProblem(409, "name-taken", operator.post(LOTS, "{\"name\": \"main\", \"first\": 901, \"last\": 910}"));
        assertProblem(409, "name-taken", operator.put(LOTS + "/side", "{\"name\": \"main\", \"first\": 801,"
                + " \"last\": 810}"));

        Reply overlap = operator.post(LOTS, "{\"name\": \"more\", \"first\": 715, \"last\": 730}");
        assertProblem(409, "lot-clash", overlap);
        assertTrue(overlap.json().path("detail").asText().contains("overlap lot 'main' (701-720, code 700)"),
                overlap.body());
        Reply codeIsASlot = operator.post(LOTS, "{\"name\": \"more\", \"first\": 901, \"last\": 910,"
                + " \"code\": \"705\"}");
        assertProblem(409, "lot-clash", codeIsASlot);
        assertTrue(codeIsASlot.json().path("detail").asText().contains("code 705 is a slot or the code of lot 'main'"),
                codeIsASlot.body());
        assertProblem(409, "lot-clash", operator.post(LOTS, "{\"name\": \"more\", \"first\": 901, \"last\": 910,"
                + " \"code\": \"700\"}"));
        assertProblem(409, "lot-clash", operator.post(LOTS, "{\"name\": \"more\", \"first\": 691, \"last\": 700}"));
        assertProblem(409, "lot-clash", operator.put(LOTS + "/side", "{\"first\": 720, \"last\": 729}"));
        assertEquals(801, operator.get(LOTS + "/side").json().path("first").asInt(), "nothing was changed");
        assertEquals(List.of("main", "side"), names(operator.get(LOTS)), "nothing was created");

        assertEquals(200, operator.put(LOTS + "/main", "{\"first\": 711, \"last\": 720, \"code\": \"700\"}")
                .status(), "a lot does not clash with itself");
    }

    @Test
    void aTenantHasAtMostTwentyLots() throws Exception {
        for (int i = 1; i <= 20; i++) {
            Reply r = operator.post(LOTS, "{\"name\": \"lot" + i + "\", \"first\": " + (i * 100) + ", \"last\": "
                    + (i * 100 + 9) + "}");
            assertEquals(201, r.status(), r.body());
        }
        assertProblem(409, "too-many-lots", operator.post(LOTS, "{\"name\": \"lot21\", \"first\": 2100,"
                + " \"last\": 2109}"));
        assertEquals(20, operator.get(LOTS).json().path("lots").size());
    }

    @Test
    void aTenantKeyManagesOnlyItsOwnLots() throws Exception {
        assertEquals(201, operator.put("/tenants/others.test", "{}").status());
        try {
            assertEquals(201, operator.post("/tenants/others.test/lots", "{\"name\": \"theirs\", \"first\": 1,"
                    + " \"last\": 10}").status());
            ApiClient own = operator.withKey(operator.post(TENANT + "/keys", null).json().path("key").asText());
            assertEquals(201, own.post(LOTS, "{\"name\": \"mine\", \"first\": 1, \"last\": 10}").status(),
                    "the same slots in another tenant clash with nothing");
            assertEquals(List.of("mine"), names(own.get(LOTS)));
            assertProblem(404, "not-found", own.get("/tenants/others.test/lots"));
            assertProblem(404, "not-found", own.get("/tenants/others.test/lots/theirs"));
            assertProblem(404, "not-found", own.put("/tenants/others.test/lots/theirs", "{\"first\": 1, \"last\": 2}"));
            assertProblem(404, "not-found", own.delete("/tenants/others.test/lots/theirs"));
            assertProblem(404, "not-found", own.post("/tenants/others.test/lots", "{\"name\": \"x\", \"first\": 21,"
                    + " \"last\": 22}"));
            assertEquals(List.of("theirs"), names(operator.get("/tenants/others.test/lots")));
            assertEquals(10, operator.get("/tenants/others.test/lots/theirs").json().path("last").asInt());
        } finally {
            operator.delete("/tenants/others.test");
        }
    }

    @Test
    void deletingTheTenantDeletesItsLots() throws Exception {
        assertEquals(201, operator.post(LOTS, "{\"name\": \"main\", \"first\": 701, \"last\": 720}").status());
        assertEquals(204, operator.delete(TENANT).status());
        assertEquals(404, operator.get(LOTS).status(), "no tenant, no lots");
        assertEquals(201, operator.put(TENANT, "{}").status());
        assertEquals(List.of(), names(operator.get(LOTS)), "a tenant created again starts without lots");
    }
}
