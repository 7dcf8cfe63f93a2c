package io.callpark.rest;

import io.callpark.store.GroupStore;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Path;

/** A tenant's park groups: teams that share their parked calls (*58), each extension in at most one. */
@Path("/tenants/{domain}/park-groups")
@RequestScoped
public class ParkGroupResource extends GroupResource {

    @Override
    String kindName() {
        return "park group";
    }

    @Override
    GroupStore store() {
        return parkGroups;
    }

    @Override
    boolean isParkGroup() {
        return true;
    }

    @Override
    void checkDeletable(String tenant, String name) {
        // nothing refers to a park group by name
    }
}
