package io.cocoplane.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.cocoplane.ocicrypt.CocoKeyWrapper;
import io.cocoplane.ocicrypt.CocoRecipient;
import io.cocoplane.ocicrypt.JweRecipient;
import io.cocoplane.ocicrypt.KeyMaterial;
import io.cocoplane.ocicrypt.KeyParseException;
import io.cocoplane.ocicrypt.LayerEncryptionInfo;
import io.cocoplane.ocicrypt.ManifestEncryptionSummary;
import io.cocoplane.ocicrypt.ManifestInspector;
import io.cocoplane.ocicrypt.OcicryptException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code cococtl image list|inspect|encrypt}. */
@Command(name = "image", mixinStandardHelpOptions = true, description = "List, inspect and encrypt images.",
        subcommands = {ImageCommand.ListCmd.class, ImageCommand.Inspect.class, ImageCommand.Encrypt.class})
final class ImageCommand {

    /** KBS repository and type under which image KEKs are stored. */
    static final String KEK_PREFIX = "default/image-kek/";

    private ImageCommand() {
    }

    /** Registry options shared by inspect and encrypt. */
    abstract static class RegistryUsing extends BaseCommand {
        @Option(names = "--plain-http", description = "Talk to registries over plain HTTP (development only).")
        boolean plainHttp;

        @Option(names = "--registry-service", paramLabel = "NAME",
                description = "Service name for registry tokens (default: the registry's challenge, else "
                        + "cocoplane-registry).")
        String registryService;

        @Option(names = "--platform", paramLabel = "OS/ARCH", description = "Platform to pick from an image index "
                + "(default: linux/amd64).")
        String platform = "linux/amd64";

        ImageStore open(ImageRef ref, String actions, boolean create) throws IOException {
            if (ref instanceof ImageRef.Oci o) {
                return create ? OciLayout.create(o.dir()) : OciLayout.open(o.dir());
            }
            ImageRef.Docker d = (ImageRef.Docker) ref;
            if (plainHttp && !GatewayClient.isLoopback(d.host().replaceAll(":\\d+$", ""))) {
                err().println("WARNING: plain HTTP to registry " + d.host());
            }
            return new RegistryClient(root().http(), d, plainHttp, root().timeout(),
                    (service, scope) -> gateway().registryToken(registryService != null ? registryService
                            : service != null ? service : "cocoplane-registry", scope), actions);
        }

        ImageRef parseRef(String s) {
            try {
                return ImageRef.parse(s);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List repositories of the registry.")
    static final class ListCmd extends BaseCommand {
        @Option(names = "-n", description = "Page size.")
        Integer n;
        @Option(names = "--last", description = "Start after this repository.")
        String last;

        @Override
        public Integer call() {
            StringBuilder q = new StringBuilder();
            if (n != null) {
                q.append(q.isEmpty() ? "?" : "&").append("n=").append(n);
            }
            if (last != null) {
                q.append(q.isEmpty() ? "?" : "&").append("last=").append(GatewayClient.enc(last));
            }
            JsonNode page = gateway().getJson("/api/v1/images" + q);
            JsonNode repos = page.isArray() ? page : page.path("repositories");
            if (json()) {
                output().object(page);
            } else {
                output().list(repos, List.of(new Output.Column("REPOSITORY", "name"),
                        new Output.Column("TAGS", "tags"), new Output.Column("MANIFESTS", "manifests"),
                        new Output.Column("ENCRYPTED", "encrypted")));
                String next = Json.text(page, "next");
                if (next != null) {
                    progress("more: --last " + next);
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Show an image.",
                    "  REPOSITORY[:TAG|@DIGEST]      the registry's view through the gateway",
                    "  oci:DIR[:TAG], docker://...   the manifest's layers and their encryption (read directly)"})
    static final class Inspect extends RegistryUsing {
        @Parameters(paramLabel = "IMAGE", description = "Image to inspect.")
        String image;

        @Override
        public Integer call() throws IOException {
            if (image.startsWith("oci:") || image.startsWith("docker://")) {
                ImageRef ref = parseRef(image);
                ImageStore store = open(ref, "pull", false);
                String reference = ref instanceof ImageRef.Oci o ? o.tag() : ((ImageRef.Docker) ref).reference();
                ImageStore.Manifest m = ImageEncryptor.resolve(store, reference, platform);
                ManifestEncryptionSummary summary;
                try {
                    summary = ManifestInspector.inspect(m.bytes());
                } catch (OcicryptException e) {
                    throw new CliException(ExitCodes.VERIFICATION_FAILED, "manifest rejected: " + e.getMessage(), e);
                }
                ObjectNode o = Json.object();
                o.put("image", image);
                o.put("digest", Digests.of(m.bytes()));
                o.put("mediaType", m.mediaType());
                o.put("encrypted", summary.allEncrypted());
                ArrayNode keyIds = o.putArray("kbsKeyIds");
                summary.kbsKeyIds().forEach(keyIds::add);
                ArrayNode layers = o.putArray("layers");
                for (LayerEncryptionInfo l : summary.layers()) {
                    ObjectNode n = layers.addObject();
                    n.put("index", l.index());
                    n.put("mediaType", l.mediaType());
                    n.put("digest", l.digest());
                    n.put("size", l.size());
                    n.put("encrypted", l.encrypted());
                    ArrayNode kinds = n.putArray("recipients");
                    l.recipientKinds().forEach(kinds::add);
                    ArrayNode algs = n.putArray("jweAlgorithms");
                    l.jweAlgorithms().forEach(algs::add);
                    ArrayNode kids = n.putArray("keyIds");
                    l.keyIds().forEach(kids::add);
                }
                if (json()) {
                    output().object(o);
                } else {
                    out().println("image: " + image);
                    out().println("digest: " + o.get("digest").asString());
                    out().println("encrypted: " + summary.allEncrypted());
                    out().flush();
                    output().list(layers, List.of(new Output.Column("#", "index"),
                            new Output.Column("DIGEST", "digest"), new Output.Column("SIZE", "size"),
                            new Output.Column("MEDIA-TYPE", "mediaType"), new Output.Column("RECIPIENTS", "recipients"),
                            new Output.Column("KEY-IDS", "keyIds")));
                }
                return ExitCodes.OK;
            }
            String repo = image;
            String reference = null;
            int at = repo.indexOf('@');
            int colon = repo.lastIndexOf(':');
            if (at >= 0) {
                reference = repo.substring(at + 1);
                repo = repo.substring(0, at);
            } else if (colon > repo.lastIndexOf('/')) {
                reference = repo.substring(colon + 1);
                repo = repo.substring(0, colon);
            }
            if (!ImageRef.REPOSITORY.matcher(repo).matches()) {
                throw usage("invalid repository name: " + repo);
            }
            if (reference != null && !ImageRef.TAG.matcher(reference).matches()
                    && !ImageRef.DIGEST.matcher(reference).matches()) {
                throw usage("invalid tag or digest: " + reference);
            }
            JsonNode answer = gateway().getJson("/api/v1/images/" + repo
                    + (reference == null ? "" : "/manifests/" + reference));
            output().object(answer);
            return ExitCodes.OK;
        }
    }

    @Command(name = "encrypt", mixinStandardHelpOptions = true,
            description = {"Encrypt every layer of an image (ocicrypt AES_256_CTR_HMAC_SHA256) and write the "
                    + "encrypted image to --dest.",
                    "Default (CoCo): a random 32-byte KEK wraps the layer keys; it is stored in the key broker as "
                            + "default/image-kek/<name> (PUT /api/v1/secrets/...) and the layers carry the "
                            + "attestation-agent key-provider annotation with kid kbs:///default/image-kek/<name>.",
                    "With --recipient jwe:<public key PEM>: plain ocicrypt JWE (as skopeo --encryption-key), no KEK "
                            + "stored.",
                    "SOURCE and --dest: oci:<dir>:<tag> or docker://host[:port]/repository:tag."})
    static final class Encrypt extends RegistryUsing {
        @Parameters(paramLabel = "SOURCE", description = "Plain image to encrypt.")
        String source;

        @Option(names = "--dest", required = true, paramLabel = "DEST", description = "Where to write the encrypted "
                + "image (oci:<dir>:<tag> or docker://host/repository:tag).")
        String dest;

        @Option(names = "--recipient", paramLabel = "jwe:PEM", description = "JWE recipient public key (RSA or EC "
                + "SPKI PEM/DER), repeatable; disables the CoCo KEK.")
        List<String> recipients = new ArrayList<>();

        @Option(names = "--key-name", paramLabel = "NAME", description = "KEK name under default/image-kek/ "
                + "(default: from the destination repository and tag).")
        String keyName;

        @Option(names = "--replace-key", description = "Overwrite an existing KEK of the same name (images "
                + "encrypted under the old KEK can then no longer be decrypted).")
        boolean replaceKey;

        private final SecureRandom random = new SecureRandom();

        @Override
        public Integer call() throws IOException {
            ImageRef src = parseRef(source);
            ImageRef dst = parseRef(dest);
            String tag;
            if (dst instanceof ImageRef.Docker d) {
                if (d.digest() != null) {
                    throw usage("--dest needs a tag, not a digest");
                }
                tag = d.reference();
            } else {
                ImageRef.Oci o = (ImageRef.Oci) dst;
                tag = o.tag() != null ? o.tag() : src instanceof ImageRef.Oci so && so.tag() != null ? so.tag()
                        : src instanceof ImageRef.Docker sd && sd.tag() != null ? sd.tag() : "latest";
            }
            List<JweRecipient> jwe = new ArrayList<>();
            for (String r : recipients) {
                jwe.add(parseRecipient(r));
            }
            ImageStore from = open(src, "pull", false);
            String srcReference = src instanceof ImageRef.Oci o ? o.tag() : ((ImageRef.Docker) src).reference();
            ImageStore.Manifest manifest = ImageEncryptor.resolve(from, srcReference, platform);

            CocoRecipient coco = null;
            String kekPath = null;
            boolean kekExisted = false;
            if (jwe.isEmpty()) {
                String name = keyName != null ? keyName : defaultKeyName(dst, tag);
                if (!Bodies.SEGMENT.matcher(name).matches()) {
                    throw usage("invalid --key-name (allowed: [A-Za-z0-9._-], at most 128, not starting with a dot): "
                            + name);
                }
                kekPath = KEK_PREFIX + name;
                kekExisted = secretExists(kekPath);
                if (kekExisted && !replaceKey) {
                    throw new CliException(ExitCodes.USAGE, "the key broker already holds " + kekPath
                            + "; choose another --key-name or pass --replace-key");
                }
                byte[] kek = new byte[CocoKeyWrapper.KEK_BYTES];
                random.nextBytes(kek);
                try {
                    coco = new CocoRecipient("kbs:///" + kekPath, kek);
                    progress("storing the KEK as " + kekPath + " in the key broker");
                    gateway().exchange("PUT", "/api/v1/secrets/" + kekPath, kek, "application/octet-stream",
                            Map.of()).require();
                } finally {
                    Arrays.fill(kek, (byte) 0);
                }
            }
            ImageStore to = open(dst, "pull,push", true);
            ImageEncryptor.Result result;
            try {
                result = new ImageEncryptor(new Progress(err(), root().quiet)).encrypt(from, manifest, to, tag, jwe,
                        coco);
            } catch (RuntimeException | IOException e) {
                if (kekPath != null && !kekExisted) {
                    try {
                        gateway().exchange("DELETE", "/api/v1/secrets/" + kekPath, null, null, Map.of());
                        err().println("the image was not written; the KEK " + kekPath + " was deleted again");
                    } catch (RuntimeException ignored) {
                        err().println("the image was not written; delete the unused KEK with: cococtl secret delete "
                                + kekPath);
                    }
                }
                throw e;
            }
            ObjectNode o = Json.object();
            o.put("source", source);
            o.put("destination", dst.toString());
            o.put("manifestDigest", result.manifestDigest());
            o.put("scheme", coco != null ? "coco" : "jwe");
            if (coco != null) {
                o.put("keyId", coco.kid());
                o.put("kekPath", kekPath);
            }
            ArrayNode layers = o.putArray("layers");
            for (ImageEncryptor.Layer l : result.layers()) {
                ObjectNode n = layers.addObject();
                n.put("plainDigest", l.plainDigest());
                n.put("digest", l.digest());
                n.put("size", l.size());
                n.put("mediaType", l.mediaType());
            }
            output().message("encrypted " + result.layers().size() + " layers into " + dst + " (manifest "
                    + result.manifestDigest() + ")" + (coco != null ? ", key " + coco.kid() : ""), o);
            return ExitCodes.OK;
        }

        private boolean secretExists(String path) {
            JsonNode answer = gateway().getJson("/api/v1/secrets");
            JsonNode list = answer.isArray() ? answer : answer.path("resources");
            for (JsonNode r : list) {
                if (path.equals(Json.text(r, "path"))) {
                    return true;
                }
            }
            return false;
        }

        private JweRecipient parseRecipient(String r) throws IOException {
            if (!r.startsWith("jwe:")) {
                throw usage("only jwe:<public key file> recipients are supported: " + r);
            }
            Path p = Path.of(r.substring(4));
            if (!Files.isRegularFile(p) || Files.size(p) > KeyMaterial.MAX_KEY_BYTES) {
                throw usage("no such key file (or larger than " + KeyMaterial.MAX_KEY_BYTES + " bytes): " + p);
            }
            try {
                return JweRecipient.of(KeyMaterial.parsePublicKey(Files.readAllBytes(p)));
            } catch (KeyParseException | IllegalArgumentException e) {
                throw usage("cannot use " + p + " as a JWE recipient: " + e.getMessage());
            }
        }

        static String defaultKeyName(ImageRef dst, String tag) {
            String base = dst instanceof ImageRef.Docker d ? d.repository().replace('/', '-')
                    : String.valueOf(((ImageRef.Oci) dst).dir().toAbsolutePath().normalize().getFileName());
            String name = (base + "-" + tag).replaceAll("[^A-Za-z0-9._-]", "-").toLowerCase(Locale.ROOT);
            while (name.startsWith(".")) {
                name = name.substring(1);
            }
            return name.length() > 128 ? name.substring(0, 128) : name;
        }
    }
}
