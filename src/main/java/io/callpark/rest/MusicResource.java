package io.callpark.rest;

import io.callpark.media.MusicUpload;
import io.callpark.store.MusicStore;
import io.callpark.store.MusicStore.Music;
import io.callpark.store.TenantStore;
import io.callpark.store.TenantStore.Tenant;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A tenant's hold music: uploaded as a WAV file (checked, converted to 8 kHz, kept by the cluster), shown, or
 * removed to go back to the built-in music. The tenant's key or the operator's; another tenant answers 404.
 */
@Path("/tenants/{domain}/music")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class MusicResource {

    /** Ten minutes of 8 kHz G.711 WAV (4.8 MB) fit; longer or richer files are converted first (README). */
    static final int MAX_BYTES = 5 * 1024 * 1024;
    private static final Set<String> WAV_TYPES = Set.of("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave");
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Logger LOG = Logger.getLogger(MusicResource.class.getName());

    @Inject
    TenantStore tenants;

    @Inject
    MusicStore uploads;

    @Inject
    RequestCaller current;

    @GET
    public JsonObject get(@PathParam("domain") String domain) {
        return json(uploads.find(configured(domain).domain()));
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    @LargeBody(maxBytes = MAX_BYTES)
    public Response put(@PathParam("domain") String domain,
                        @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) throws IOException {
        Tenant tenant = configured(domain);
        if (!isWav(contentType)) {
            throw new ProblemException(Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "not-wav",
                    "Unsupported Media Type", "send the music as a WAV file (Content-Type audio/wav)"));
        }
        MusicUpload.Converted music;
        try {
            music = MusicUpload.convert(body.readAllBytes()); // BoundedBodies stops the read past MAX_BYTES
        } catch (MusicUpload.Rejected e) {
            if (e.notWav()) {
                throw new ProblemException(Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "not-wav",
                        "Unsupported Media Type", e.getMessage() + "; nothing was changed"));
            }
            throw new ProblemException(Problem.invalid("the music cannot be played; nothing was changed",
                    List.of(new Violation("body", "playable-wav", e.getMessage()))));
        }
        boolean replaced = uploads.find(tenant.domain()).isPresent();
        Music stored = uploads.put(tenant.domain(), music.ulaw(), music.sha256(), music.uploadedBytes(),
                music.length(), music.original());
        LOG.info("tenant " + tenant.domain() + ": hold music uploaded, " + stored.uploadedBytes() + " bytes, "
                + stored.length().toMillis() / 1000.0 + " s, " + stored.original() + ", sha256 " + stored.sha256());
        return Response.status(replaced ? Response.Status.OK : Response.Status.CREATED)
                .entity(json(Optional.of(stored))).build();
    }

    @DELETE
    public Response delete(@PathParam("domain") String domain) {
        Tenant tenant = configured(domain);
        if (uploads.delete(tenant.domain())) {
            LOG.info("tenant " + tenant.domain() + ": hold music removed, the built-in music plays");
        }
        return Response.noContent().build();
    }

    private Tenant configured(String domain) {
        return TenantScope.configured(current.get(), domain, tenants);
    }

    private static boolean isWav(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return WAV_TYPES.contains(type);
    }

    private static JsonObject json(Optional<Music> music) {
        if (music.isEmpty()) {
            return JSON.createObjectBuilder().add("source", "built-in").build();
        }
        Music m = music.get();
        return JSON.createObjectBuilder()
                .add("source", "uploaded")
                .add("durationMs", m.length().toMillis())
                .add("size", m.uploadedBytes())
                .add("sha256", m.sha256())
                .add("original", m.original())
                .add("played", "8000 Hz mono G.711")
                .add("uploaded", m.uploaded().toString())
                .build();
    }
}
