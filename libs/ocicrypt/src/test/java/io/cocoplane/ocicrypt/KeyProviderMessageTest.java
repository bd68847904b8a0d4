package io.cocoplane.ocicrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class KeyProviderMessageTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(utf8(s));
    }

    @Test
    void keyWrapRequestIsWrittenAsGoMarshalsIt() {
        byte[] json = KeyProviderMessage.keyWrap(Map.of("attestation-agent", List.of(utf8("keyid=kbs:///a/b/c"))),
                utf8("{}")).toJson();
        String expected = "{\"op\":\"keywrap\",\"keywrapparams\":{\"ec\":{\"Parameters\":{\"attestation-agent\":[\""
                + b64("keyid=kbs:///a/b/c") + "\"]},\"DecryptConfig\":{\"Parameters\":null}},\"optsdata\":\""
                + b64("{}") + "\"},\"keyunwrapparams\":{\"dc\":null,\"annotation\":null}}";
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void keyUnwrapRequestRoundTrips() throws Exception {
        KeyProviderMessage m = KeyProviderMessage.keyUnwrap(Map.of(), utf8("{\"kid\":\"x\"}"));
        String text = new String(m.toJson(), StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("{\"op\":\"keyunwrap\",\"keywrapparams\":{\"ec\":null,\"optsdata\":null},"
                + "\"keyunwrapparams\":{\"dc\":{\"Parameters\":null},\"annotation\":\"" + b64("{\"kid\":\"x\"}")
                + "\"}}");
        assertThat(KeyProviderMessage.parse(m.toJson())).isEqualTo(m);
    }

    @Test
    void rustNumberArraysAreAcceptedForByteFields() throws Exception {
        // coco_keyprovider (Rust serde) writes Vec<u8> as arrays of numbers (registry note §3.6).
        String rust = "{\"op\":\"keywrap\",\"keywrapparams\":{\"ec\":{\"Parameters\":{\"attestation-agent\":"
                + "[[107,61,118]]},\"DecryptConfig\":{\"Parameters\":{}}},\"optsdata\":[123,125]}}";
        KeyProviderMessage m = KeyProviderMessage.parse(utf8(rust));
        assertThat(m.operation()).isEqualTo("keywrap");
        assertThat(m.optsData()).isEqualTo(utf8("{}"));
        assertThat(m.parameters().get("attestation-agent")).singleElement().isEqualTo(utf8("k=v"));
        assertThat(KeyProviderMessage.parseKeyWrapOutput(utf8("{\"keywrapresults\":{\"annotation\":[104,105]}}")))
                .isEqualTo(utf8("hi"));
        assertThat(KeyProviderMessage.parseKeyUnwrapOutput(utf8(
                "{\"keyunwrapresults\":{\"optsdata\":\"" + b64("opts") + "\"}}"))).isEqualTo(utf8("opts"));
    }

    @Test
    void cocoProviderExchangeEndToEnd() throws Exception {
        byte[] kek = TestKeys.random(32);
        String kid = "kbs:///default/image-kek/proto";
        PrivateOptions opts = new PrivateOptions(TestKeys.random(32), "", TestKeys.random(16));
        // ocicrypt -> provider: keywrap
        KeyProviderMessage req = KeyProviderMessage.parse(
                KeyProviderMessage.keyWrap(Map.of("attestation-agent", List.of(utf8("keyid=" + kid))), opts.toJson())
                        .toJson());
        byte[] packetJson = CocoKeyWrapper.wrap(req.optsData(), kid, kek).toJson();
        byte[] annotationBytes = KeyProviderMessage.parseKeyWrapOutput(KeyProviderMessage.keyWrapOutput(packetJson));
        String annotationValue = Base64.getEncoder().encodeToString(annotationBytes);
        assertThat(KeyProviderPacket.parseAnnotation(annotationValue).kid()).isEqualTo(kid);
        // guest -> provider: keyunwrap with the base64-decoded annotation
        KeyProviderMessage unwrapReq = KeyProviderMessage.parse(
                KeyProviderMessage.keyUnwrap(Map.of(), Base64.getDecoder().decode(annotationValue)).toJson());
        byte[] optsData = CocoKeyWrapper.unwrap(KeyProviderPacket.parse(unwrapReq.annotation()),
                k -> kid.equals(k) ? Optional.of(kek) : Optional.empty());
        byte[] back = KeyProviderMessage.parseKeyUnwrapOutput(KeyProviderMessage.keyUnwrapOutput(optsData));
        assertThat(PrivateOptions.parse(back)).isEqualTo(opts);
    }

    @Test
    void malformedMessagesAreTyped() {
        String[] bad = {"", "[]", "{}", "{\"op\":\"sign\"}", "{\"op\":\"keywrap\"}",
            "{\"op\":\"keywrap\",\"keywrapparams\":{\"optsdata\":null}}",
            "{\"op\":\"keywrap\",\"keywrapparams\":{\"optsdata\":[256]}}",
            "{\"op\":\"keywrap\",\"keywrapparams\":{\"optsdata\":[-1]}}",
            "{\"op\":\"keywrap\",\"keywrapparams\":{\"optsdata\":[1.5]}}",
            "{\"op\":\"keywrap\",\"keywrapparams\":{\"optsdata\":{}}}",
            "{\"op\":\"keywrap\",\"keywrapparams\":{\"ec\":{\"Parameters\":{\"a\":\"x\"}},\"optsdata\":\"AA==\"}}",
            "{\"op\":\"keyunwrap\",\"keyunwrapparams\":{\"annotation\":\"%%\"}}"};
        for (String s : bad) {
            assertThatThrownBy(() -> KeyProviderMessage.parse(utf8(s))).as(s)
                    .isInstanceOf(MalformedAnnotationException.class);
        }
        assertThatThrownBy(() -> KeyProviderMessage.parseKeyWrapOutput(utf8("{\"keywrapresults\":{}}")))
                .isInstanceOf(MalformedAnnotationException.class);
        assertThatThrownBy(() -> KeyProviderMessage.parse(new byte[KeyProviderMessage.MAX_MESSAGE_BYTES + 1]))
                .isInstanceOf(MalformedAnnotationException.class);
    }
}
