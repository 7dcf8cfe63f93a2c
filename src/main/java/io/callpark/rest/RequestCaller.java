package io.callpark.rest;

import jakarta.enterprise.context.RequestScoped;

/** Who makes the current API request: set by {@link ApiAccess}, read by the resources. */
@RequestScoped
public class RequestCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    /** The authenticated caller; requests without one never reach a resource. */
    public Caller get() {
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller in this request");
        }
        return caller;
    }
}
