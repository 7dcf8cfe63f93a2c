package io.callpark.it;

import com.fasterxml.jackson.databind.JsonNode;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 4: ring groups and park groups of a tenant through the REST API. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GroupApiIT extends PhonesOnTestNetwork {

    private static final String TENANT = "/tenants/groups.test";
    private static final String PARK_GROUPS = TENANT + "/park-groups";
    private static final String RING_GROUPS = TENANT + "/ring-groups";
    private final ApiClient operator = ApiClient.operator();

    @BeforeEach
    void tenant() throws Exception {
        assertEquals(201, operator.put(TENANT, "{}").status());
    }

    @AfterEach
    void noTenant() throws Exception {
        operator.delete(TENANT);
    }

    private static List<String> members(Reply reply) {
        List<String> members = new ArrayList<>();
        reply.json().path("members").forEach(m -> members.add(m.asText()));
        return members;
    }

    @Test
    void parkGroupsAreCreatedReadChangedAndDeleted() throws Exception {
        Reply created = operator.post(PARK_GROUPS, "{\"name\": \"sales\", \"members\": [\"101\", \"102\"],"
                + " \"recall\": {\"recallTime\": 60}}");
        assertEquals(201, created.status(), created.body());
        assertTrue(created.raw().headers().firstValue("Location").orElse("").endsWith(PARK_GROUPS + "/sales"));
        assertEquals(List.of("101", "102"), members(created));
        assertEquals(60, created.json().path("recall").path("recallTime").asInt());
        assertTrue(created.json().path("recall").path("retryInterval").isMissingNode(),
                "what the group does not set stays the tenant's");

        Reply added = operator.post(PARK_GROUPS + "/sales/members", "{\"extension\": \"103\", \"position\": 0}");
        assertEquals(200, added.status(), added.body());
        assertEquals(List.of("103", "101", "102"), members(added), "added at the position asked for");
        Reply reordered = operator.put(PARK_GROUPS + "/sales/members", "{\"members\": [\"102\", \"103\", \"101\"]}");
        assertEquals(List.of("102", "103", "101"), members(reordered), reordered.body());
        Reply removed = operator.delete(PARK_GROUPS + "/sales/members/103");
        assertEquals(List.of("102", "101"), members(removed), removed.body());
        assertEquals(404, operator.delete(PARK_GROUPS + "/sales/members/103").status());
        assertEquals(409, operator.post(PARK_GROUPS + "/sales/members", "{\"extension\": \"101\"}").status(),
                "a member is added once");

        Reply patched = operator.patch(PARK_GROUPS + "/sales", "{\"recall\": {\"retryInterval\": 20}}");
        assertEquals(200, patched.status(), patched.body());
        assertEquals(20, patched.json().path("recall").path("retryInterval").asInt());
        assertEquals(List.of("102", "101"), members(patched), "PATCH keeps the members");
        Reply replaced = operator.put(PARK_GROUPS + "/sales", "{\"members\": [\"104\"]}");
        assertEquals(List.of("104"), members(replaced));
        assertTrue(replaced.json().path("recall").path("retryInterval").isMissingNode(), "PUT replaces all");

        assertEquals(1, operator.get(PARK_GROUPS).json().path("groups").size());
        assertEquals(200, operator.get(PARK_GROUPS + "/sales").status());
        assertEquals(204, operator.delete(PARK_GROUPS + "/sales").status());
        assertEquals(404, operator.get(PARK_GROUPS + "/sales").status());
    }

    @Test
    void aNameIsUniqueAndAMemberIsInOneParkGroupOnly() throws Exception {
        assertEquals(201, operator.post(PARK_GROUPS, "{\"name\": \"sales\", \"members\": [\"101\"]}").status());
        Reply sameName = operator.post(PARK_GROUPS, "{\"name\": \"sales\"}");
        assertEquals(409, sameName.status());
        assertTrue(sameName.json().path("type").asText().endsWith("/name-taken"), sameName.body());

        Reply taken = operator.post(PARK_GROUPS, "{\"name\": \"support\", \"members\": [\"102\", \"101\"]}");
        assertEquals(409, taken.status(), taken.body());
        assertTrue(taken.names("members", "in-another-group"), taken.body());
        assertTrue(taken.body().contains("101 is a member of park group 'sales'"), taken.body());
        assertEquals(404, operator.get(PARK_GROUPS + "/support").status(), "nothing of it was created");
        assertEquals(201, operator.post(PARK_GROUPS, "{\"name\": \"support\", \"members\": [\"102\"]}").status());
        assertEquals(409, operator.post(PARK_GROUPS + "/support/members", "{\"extension\": \"101\"}").status(),
                "adding a member of another group is refused too");
        assertEquals(List.of("102"), members(operator.get(PARK_GROUPS + "/support")));

        assertEquals(201, operator.post(RING_GROUPS, "{\"name\": \"desk\", \"members\": [\"101\"]}").status());
        assertEquals(201, operator.post(RING_GROUPS, "{\"name\": \"night\", \"members\": [\"101\", \"102\"]}")
                .status(), "ring groups may share members");
    }

    @Test
    void invalidGroupsAreRefusedWholeNamingEveryRule() throws Exception {
        record Bad(String body, String field, String rule) {
        }
        for (Bad bad : List.of(
                new Bad("{\"members\": [\"101\"]}", "name", "required"),
                new Bad("{\"name\": \"front desk!\"}", "name", "pattern"),
                new Bad("{\"name\": \"a\", \"members\": \"101\"}", "members", "type"),
                new Bad("{\"name\": \"a\", \"members\": [\"101\", \"101\"]}", "members[1]", "duplicate"),
                new Bad("{\"name\": \"a\", \"members\": [\"101@other.test\"]}", "members[0]", "pattern"),
                new Bad("{\"name\": \"a\", \"recall\": {\"recallTime\": 10}}", "recall.recallTime", "range"),
                new Bad("{\"name\": \"a\", \"recall\": {\"callsPerExtension\": 2}}", "recall.callsPerExtension",
                        "unknown-field"),
                new Bad("{\"name\": \"a\", \"recall\": {\"recallDestination\": \"ring-group\"}}", "recall.ringGroup",
                        "required"),
                new Bad("{\"name\": \"a\", \"recall\": {\"recallDestination\": \"ring-group\", \"ringGroup\": \"x\"}}",
                        "recall.ringGroup", "unknown-ring-group"),
                new Bad("{\"name\": \"a\", \"colour\": 1}", "colour", "unknown-field"))) {
            Reply r = operator.post(PARK_GROUPS, bad.body());
            assertEquals(422, r.status(), bad.body() + " -> " + r.body());
            assertTrue(r.names(bad.field(), bad.rule()), bad.body() + " -> " + r.body());
        }
        assertEquals(422, operator.post(RING_GROUPS, "{\"name\": \"a\", \"recall\": {}}").status(),
                "a ring group has no recall settings");
        assertEquals(0, operator.get(PARK_GROUPS).json().path("groups").size(), "nothing was created");
        assertEquals(404, operator.get("/tenants/unconfigured.test/park-groups").status(),
                "groups belong to a configured tenant");
    }

    @Test
    void aRingGroupNamedBySettingsMustExistAndCannotGoWhileNamed() throws Exception {
        Reply unknown = operator.patch(TENANT, "{\"recallDestination\": \"ring-group\", \"ringGroup\": \"desk\"}");
        assertEquals(422, unknown.status(), unknown.body());
        assertTrue(unknown.names("ringGroup", "unknown-ring-group"), unknown.body());

        assertEquals(201, operator.post(RING_GROUPS, "{\"name\": \"desk\", \"members\": [\"101\", \"102\"]}").status());
        Reply named = operator.patch(TENANT, "{\"recallDestination\": \"ring-group\", \"ringGroup\": \"desk\"}");
        assertEquals(200, named.status(), named.body());
        Reply inUse = operator.delete(RING_GROUPS + "/desk");
        assertEquals(409, inUse.status(), inUse.body());
        assertTrue(inUse.body().contains("the tenant's settings"), inUse.body());

        assertEquals(200, operator.patch(TENANT, "{\"recallDestination\": \"parker\", \"ringGroup\": \"\"}").status());
        assertEquals(204, operator.delete(RING_GROUPS + "/desk").status());
    }

    @Test
    void aTenantKeyManagesOnlyItsOwnGroups() throws Exception {
        assertEquals(201, operator.put("/tenants/others.test", "{}").status());
        try {
            ApiClient own = operator.withKey(operator.post(TENANT + "/keys", null).json().path("key").asText());
            assertEquals(201, own.post(PARK_GROUPS, "{\"name\": \"team\", \"members\": [\"101\"]}").status());
            assertEquals(404, own.get("/tenants/others.test/park-groups").status());
            assertEquals(404, own.post("/tenants/others.test/ring-groups", "{\"name\": \"x\"}").status());
            JsonNode groups = operator.get(PARK_GROUPS).json().path("groups");
            assertEquals("team", groups.get(0).path("name").asText());
            assertEquals(0, operator.get("/tenants/others.test/ring-groups").json().path("groups").size());
        } finally {
            operator.delete("/tenants/others.test");
        }
    }
}
