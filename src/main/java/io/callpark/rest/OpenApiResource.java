package io.callpark.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The API's OpenAPI document (docs/openapi.yaml, packed into the WAR): open to anyone, like the node status. */
@Path("/openapi.yaml")
@ApplicationScoped
public class OpenApiResource {

    static final String MEDIA_TYPE = "application/yaml";

    @GET
    @Produces(MEDIA_TYPE)
    public String document() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the WAR");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
