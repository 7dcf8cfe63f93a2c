package io.callpark.sip;

import gov.nist.javax.sip.message.MessageFactoryImpl;
import org.junit.jupiter.api.Test;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxySealTest {

    private static final String SECRET = "secret-0123456789abcdef0123";
    private final ProxySeal seal = new ProxySeal(SECRET);

    private static Request invite(String extra) throws Exception {
        return new MessageFactoryImpl().createRequest("INVITE sip:*68101@acme.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1\r\n"
                + "From: <sip:carol@acme.test>;tag=tag1\r\n"
                + "To: <sip:*68101@acme.test>\r\n"
                + "Call-ID: abc@127.0.0.1\r\n"
                + "CSeq: 2 INVITE\r\n"
                + "Max-Forwards: 69\r\n"
                + extra
                + "Content-Length: 0\r\n\r\n");
    }

    @Test
    void kamailiosDigestOfTheSameFieldsIsAccepted() throws Exception {
        // printf '%s' 'SECRET|INVITE|abc@127.0.0.1|2|tag1|id=101@acme.test;src=127.0.0.5:5062|SECRET' | sha256sum
        Request request = invite(ProxySeal.HEADER + ": e333c7297e3272986c2bc82d3f57a1d8b9b9b658c4eb399478d1f36d2b8f7c9b"
                + ";id=101@acme.test;src=127.0.0.5:5062\r\n");
        assertEquals(Optional.of(Map.of("id", "101@acme.test", "src", "127.0.0.5:5062")), seal.verify(request));
        assertEquals("101@acme.test", ProxySeal.claims(request).get("id"));
    }

    @Test
    void aChangedClaimAWrongSecretOrNoSealIsRefused() throws Exception {
        Request forged = invite(ProxySeal.HEADER + ": e333c7297e3272986c2bc82d3f57a1d8b9b9b658c4eb399478d1f36d2b8f7c9b"
                + ";id=102@acme.test;src=127.0.0.5:5062\r\n");
        assertTrue(seal.verify(forged).isEmpty(), "another identity under the same digest");

        Request other = invite("");
        new ProxySeal("another-secret-0123456789abcdef").seal(other, "id=101@acme.test");
        assertTrue(seal.verify(other).isEmpty(), "sealed with another secret");

        assertTrue(seal.verify(invite("")).isEmpty(), "no seal");
        assertTrue(seal.verify(invite(ProxySeal.HEADER + ": deadbeef;id=101@acme.test\r\n")).isEmpty(), "short");
    }

    @Test
    void aSealBindsTheCallIdCseqAndFromTag() throws Exception {
        Request request = invite("");
        seal.seal(request, "id=101@acme.test");
        assertTrue(seal.verify(request).isPresent());
        Request replayed = (Request) request.clone();
        replayed.setHeader(new gov.nist.javax.sip.header.CSeq(3, Request.INVITE));
        assertTrue(seal.verify(replayed).isEmpty(), "the same seal on the next CSeq");
    }

    @Test
    void aCancelCarriesItsInvitesSealAndAResponseIsSealedWithItsStatus() throws Exception {
        Request request = invite("");
        seal.seal(request, "id=101@acme.test");
        Request cancel = (Request) request.clone();
        cancel.setMethod(Request.CANCEL);
        cancel.setHeader(new gov.nist.javax.sip.header.CSeq(2, Request.CANCEL));
        assertTrue(seal.verify(cancel).isPresent(), "tm copies the INVITE's X-Callpark- headers into its CANCEL");

        Response ok = new MessageFactoryImpl().createResponse(200, request);
        seal.seal(ok, "");
        assertTrue(seal.verify(ok).isPresent());
        ok.setStatusCode(486);
        assertTrue(seal.verify(ok).isEmpty(), "a 200's seal does not pass for a 486");
    }

    @Test
    void anRpcIsSealedOverItsBody() {
        // sha256 of the body = 5041bf1f...; printf '%s' 'SECRET|RPC|5041bf1f...|SECRET' | sha256sum
        assertEquals("ea4d19f3e5c6848cae93859a2470669d382b45795903e0884b4724d50334bd18", seal.rpcSeal("{\"x\":1}"));
    }
}
