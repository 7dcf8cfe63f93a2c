package io.callpark.rest;

import io.callpark.store.GroupStore;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.List;

/** A tenant's ring groups: ordered extensions that ring when a parked call is recalled to a ring group. */
@Path("/tenants/{domain}/ring-groups")
@RequestScoped
public class RingGroupResource extends GroupResource {

    @Override
    String kindName() {
        return "ring group";
    }

    @Override
    GroupStore store() {
        return ringGroups;
    }

    @Override
    boolean isParkGroup() {
        return false;
    }

    /** A ring group the tenant's settings or a park group's recall still name cannot go. */
    @Override
    void checkDeletable(String tenant, String name) {
        List<String> users = new ArrayList<>();
        if (tenants.settingsOf(tenant).ringGroup().equals(name)) {
            users.add("the tenant's settings");
        }
        parkGroups.all(tenant).stream().filter(g -> name.equals(g.recall().ringGroup()))
                .forEach(g -> users.add("park group " + g.name()));
        if (!users.isEmpty()) {
            throw new ProblemException(Problem.of(Response.Status.CONFLICT, "in-use", "Ring group in use",
                    "ring group " + name + " is named by " + String.join(", ", users) + "; change them first"));
        }
    }
}
