package io.cocoplane.registry.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.json.JsonMapper;

import io.cocoplane.registry.RegistryProperties;
import io.cocoplane.registry.auth.Scope;
import io.cocoplane.registry.oci.BlobStore;
import io.cocoplane.registry.oci.ByteRange;
import io.cocoplane.registry.oci.Digest;
import io.cocoplane.registry.oci.MediaTypes;
import io.cocoplane.registry.oci.OciError;
import io.cocoplane.registry.oci.OciNames;
import io.cocoplane.registry.oci.RegistryException;
import io.cocoplane.registry.oci.Route;
import io.cocoplane.registry.store.RegistryService;
import io.cocoplane.registry.store.StoredManifest;
import io.cocoplane.registry.store.Views.Referrer;

/**
 * The OCI Distribution Spec v1.1.1 API (registry note §1.2, endpoints end-1 to end-13, plus upload cancel end-14 of
 * {@code main}). One catch-all handler on {@code /v2/**} parses the raw path itself ({@link Route}), because repository
 * names contain slashes. Errors are the spec's JSON ({@code {"errors":[{"code","message","detail"}]}}).
 */
@RestController
public class DistributionController {

    private static final Logger log = LoggerFactory.getLogger(DistributionController.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** Request attribute by which Tomcat says it can send a file itself (Tomcat {@code Globals}). */
    static final String SENDFILE_SUPPORT = "org.apache.tomcat.sendfile.support";
    /** Request attributes naming the file and the byte range {@code [start, end)} Tomcat is to send. */
    private static final String SENDFILE_FILENAME = "org.apache.tomcat.sendfile.filename";
    private static final String SENDFILE_START = "org.apache.tomcat.sendfile.start";
    private static final String SENDFILE_END = "org.apache.tomcat.sendfile.end";

    private final RegistryService registry;
    private final BlobStore store;
    private final AuthGuard auth;
    private final RegistryProperties.Limits limits;
    private final ConcurrentMap<UUID, UploadState> uploads = new ConcurrentHashMap<>();

    /**
     * @param registry metadata operations
     * @param store    blob store
     * @param auth     token authentication
     * @param props    settings
     */
    public DistributionController(RegistryService registry, BlobStore store, AuthGuard auth,
            RegistryProperties props) {
        this.registry = registry;
        this.store = store;
        this.auth = auth;
        this.limits = props.limits();
    }

    /** In-memory state of an upload session on this replica: a lock and the running SHA-256. */
    private static final class UploadState {
        final ReentrantLock lock = new ReentrantLock();
        MessageDigest sha256;
        long offset;
        volatile long touchedNanos = System.nanoTime();
    }

    /**
     * Drops the in-memory state of sessions untouched for longer than {@code idle} (abandoned or expired uploads).
     *
     * @param idle how long a session may stay idle
     */
    public void dropIdleUploadState(java.time.Duration idle) {
        long now = System.nanoTime();
        uploads.entrySet().removeIf(e -> now - e.getValue().touchedNanos > idle.toNanos()
                && !e.getValue().lock.isLocked());
    }

    /** Dispatches every {@code /v2/**} request. */
    @RequestMapping("/v2/**")
    public void handle(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setHeader("Docker-Distribution-API-Version", "registry/2.0");
        String path = req.getRequestURI().substring(req.getContextPath().length());
        String rest = path.equals("/v2") ? "" : path.substring("/v2/".length());
        Route route = Route.parse(rest);
        Query q = Query.parse(req.getQueryString());
        String method = req.getMethod();
        switch (route.kind()) {
            case BASE -> base(req, res, method);
            case CATALOG -> catalog(req, res, method, q);
            case TAGS -> tags(req, res, method, route.name(), q);
            case MANIFEST -> manifest(req, res, method, route.name(), route.reference());
            case BLOB -> blob(req, res, method, route.name(), route.reference());
            case UPLOAD_START -> startUpload(req, res, method, route.name(), q);
            case UPLOAD -> upload(req, res, method, route.name(), route.reference(), q);
            case REFERRERS -> referrers(req, res, method, route.name(), route.reference(), q);
        }
    }

    // --- end-1, catalog, tags ---

    private void base(HttpServletRequest req, HttpServletResponse res, String method) throws IOException {
        allow(method, "GET", "HEAD");
        auth.require(req, List.of());
        writeJson(res, 200, Map.of(), method);
    }

    private void catalog(HttpServletRequest req, HttpServletResponse res, String method, Query q) throws IOException {
        allow(method, "GET");
        auth.require(req, List.of(Scope.registry("catalog")));
        Page page = page(q, (last, limit) -> registry.repositories(last, limit));
        if (page.next != null) {
            res.setHeader("Link", "</v2/_catalog?n=" + page.n + "&last=" + enc(page.next) + ">; rel=\"next\"");
        }
        writeJson(res, 200, Map.of("repositories", page.items), method);
    }

    private void tags(HttpServletRequest req, HttpServletResponse res, String method, String name, Query q)
            throws IOException {
        allow(method, "GET");
        auth.require(req, List.of(Scope.repository(name, "pull")));
        if (!registry.repositoryExists(name)) {
            throw new RegistryException(OciError.NAME_UNKNOWN, "repository name not known to registry");
        }
        Page page = page(q, (last, limit) -> registry.tags(name, last, limit));
        if (page.next != null) {
            res.setHeader("Link", "</v2/" + name + "/tags/list?n=" + page.n + "&last=" + enc(page.next)
                    + ">; rel=\"next\"");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("tags", page.items);
        writeJson(res, 200, body, method);
    }

    private record Page(List<String> items, String next, int n) {
    }

    private interface Fetch {
        List<String> fetch(String last, int limit);
    }

    /** {@code n} and {@code last} per spec: n=0 gives an empty list; a page ends early only with a Link. */
    private Page page(Query q, Fetch fetch) {
        int max = limits.maxPageSize();
        String nText = q.first("n");
        int n = max;
        if (nText != null && !nText.isEmpty()) {
            if (!nText.matches("\\d{1,9}")) {
                throw new RegistryException(OciError.UNSUPPORTED, 400, "n must be a non-negative integer", null);
            }
            n = Math.min(Integer.parseInt(nText), max);
        }
        if (n == 0) {
            return new Page(List.of(), null, 0);
        }
        String last = q.first("last");
        if (last != null && (last.isEmpty() || last.length() > 512)) {
            last = last.isEmpty() ? null : last.substring(0, 512);
        }
        List<String> got = new ArrayList<>(fetch.fetch(last, n + 1));
        String next = null;
        if (got.size() > n) {
            got = got.subList(0, n);
            next = got.get(n - 1);
        }
        return new Page(got, next, n);
    }

    // --- manifests (end-3, end-7, end-9) ---

    private void manifest(HttpServletRequest req, HttpServletResponse res, String method, String name,
            String reference) throws IOException {
        switch (method) {
            case "GET", "HEAD" -> {
                auth.require(req, List.of(Scope.repository(name, "pull")));
                boolean get = method.equals("GET");
                StoredManifest m = registry.manifest(name, reference, get)
                        .orElseThrow(() -> new RegistryException(OciError.MANIFEST_UNKNOWN, "manifest unknown"));
                res.setStatus(200);
                res.setContentType(m.contentType());
                res.setHeader("Docker-Content-Digest", m.digest());
                res.setHeader("ETag", "\"" + m.digest() + "\"");
                res.setContentLength(m.size());
                if (get) {
                    res.getOutputStream().write(m.content());
                }
            }
            case "PUT" -> {
                auth.require(req, List.of(Scope.repository(name, "pull", "push")));
                long max = limits.maxManifestSize().toBytes();
                if (req.getContentLengthLong() > max) {
                    throw tooLarge("manifest larger than " + max + " bytes");
                }
                byte[] body = req.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
                if (body.length > max) {
                    throw tooLarge("manifest larger than " + max + " bytes");
                }
                RegistryService.PutResult r = registry.putManifest(name, reference, body, req.getContentType());
                res.setStatus(201);
                res.setHeader("Location", "/v2/" + name + "/manifests/" + r.digest());
                res.setHeader("Docker-Content-Digest", r.digest());
                if (r.subject() != null) {
                    res.setHeader("OCI-Subject", r.subject());
                }
                res.setContentLength(0);
            }
            case "DELETE" -> {
                auth.require(req, List.of(Scope.repository(name, "delete")));
                registry.deleteManifest(name, reference);
                res.setStatus(202);
                res.setContentLength(0);
            }
            default -> throw unsupported();
        }
    }

    // --- blobs (end-2, end-10) ---

    private void blob(HttpServletRequest req, HttpServletResponse res, String method, String name, String reference)
            throws IOException {
        Digest digest = Digest.parse(reference);
        switch (method) {
            case "GET", "HEAD" -> {
                auth.require(req, List.of(Scope.repository(name, "pull")));
                long size = registry.blobSize(name, digest)
                        .orElseThrow(() -> new RegistryException(OciError.BLOB_UNKNOWN, "blob unknown"));
                Path file = store.path(digest);
                if (!store.exists(digest)) {
                    log.warn("blob {} is linked to {} but missing from the store", digest, name);
                    throw new RegistryException(OciError.BLOB_UNKNOWN, "blob unknown");
                }
                ByteRange range = ByteRange.parseRangeHeader(req.getHeader("Range"), size);
                res.setContentType("application/octet-stream");
                res.setHeader("Docker-Content-Digest", digest.toString());
                res.setHeader("Accept-Ranges", "bytes");
                res.setHeader("ETag", "\"" + digest + "\"");
                long first = 0;
                long length = size;
                if (range != null) {
                    res.setStatus(206);
                    res.setHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size);
                    first = range.first();
                    length = range.length();
                } else {
                    res.setStatus(200);
                }
                res.setContentLengthLong(length);
                if (method.equals("GET")) {
                    sendBlob(req, res, file, first, length);
                }
            }
            case "DELETE" -> {
                auth.require(req, List.of(Scope.repository(name, "delete")));
                if (!registry.unlinkBlob(name, digest)) {
                    throw new RegistryException(OciError.BLOB_UNKNOWN, "blob unknown");
                }
                res.setStatus(202);
                res.setContentLength(0);
            }
            default -> throw unsupported();
        }
    }

    /**
     * Writes {@code length} bytes of a blob file from offset {@code first} as the response body. When the servlet
     * container offers sendfile (Tomcat's NIO connector announces it with the request attribute
     * {@value #SENDFILE_SUPPORT}), the range is handed to it: after this handler returns, Tomcat sends the file with
     * {@code FileChannel.transferTo} into the socket ({@code sendfile(2)}), with no copy through the heap. Otherwise
     * the range is copied through the servlet output stream.
     *
     * @param file   the committed blob file
     * @param first  offset of the first byte
     * @param length number of bytes; the caller has set {@code Content-Length} to it
     * @throws IOException when the file cannot be read or the client goes away
     */
    static void sendBlob(HttpServletRequest req, HttpServletResponse res, Path file, long first, long length)
            throws IOException {
        if (length > 0 && Boolean.TRUE.equals(req.getAttribute(SENDFILE_SUPPORT))) {
            req.setAttribute(SENDFILE_FILENAME, file.toString());
            req.setAttribute(SENDFILE_START, first);
            req.setAttribute(SENDFILE_END, first + length);
            return;
        }
        try (FileChannel ch = FileChannel.open(file)) {
            OutputStream out = res.getOutputStream();
            WritableByteChannel target = Channels.newChannel(out);
            long pos = first;
            long end = first + length;
            while (pos < end) {
                long n = ch.transferTo(pos, end - pos, target);
                if (n <= 0) {
                    break;
                }
                pos += n;
            }
        }
    }

    // --- uploads (end-4, end-5, end-6, end-11, end-13, end-14) ---

    private void startUpload(HttpServletRequest req, HttpServletResponse res, String method, String name, Query q)
            throws IOException {
        allow(method, "POST");
        auth.require(req, List.of(Scope.repository(name, "pull", "push")));
        String mount = q.first("mount");
        if (mount != null) {
            Digest digest = Digest.parse(mount);
            String from = q.first("from");
            if (from != null && OciNames.isValidName(from)
                    && auth.permits(req, Scope.repository(from, "pull"))) {
                Optional<Long> mounted = registry.mount(name, from, digest);
                if (mounted.isPresent() && store.exists(digest)) {
                    blobCreated(res, name, digest);
                    return;
                }
            }
            // cannot mount: the client uploads normally (spec: 202 with a session)
        } else if (q.first("digest") != null) {
            Digest digest = Digest.parse(q.first("digest"));
            long max = limits.maxBlobSize().toBytes();
            if (req.getContentLengthLong() > max) {
                throw tooLarge("blob larger than " + max + " bytes");
            }
            long size = store.putVerified(req.getInputStream(), digest, max);
            registry.linkBlob(name, digest, size);
            blobCreated(res, name, digest);
            return;
        }
        UUID id = registry.openUpload(name);
        store.createUpload(id.toString());
        res.setStatus(202);
        res.setHeader("Location", uploadLocation(name, id));
        res.setHeader("Range", "0-0");
        res.setHeader("Docker-Upload-UUID", id.toString());
        res.setContentLength(0);
    }

    private void upload(HttpServletRequest req, HttpServletResponse res, String method, String name, String idText,
            Query q) throws IOException {
        if (!UUID_TEXT.matcher(idText).matches()) {
            throw new RegistryException(OciError.BLOB_UPLOAD_UNKNOWN, "upload unknown");
        }
        UUID id = UUID.fromString(idText);
        auth.require(req, List.of(Scope.repository(name, "pull", "push")));
        switch (method) {
            case "GET" -> {
                long offset = offset(id, name);
                uploadStatus(res, 204, name, id, offset);
            }
            case "PATCH" -> {
                UploadState st = uploads.computeIfAbsent(id, k -> new UploadState());
                if (!st.lock.tryLock()) {
                    throw rangeInvalid(name, id, offset(id, name), "another chunk of this upload is in progress");
                }
                try {
                    long offset = append(req, st, name, id);
                    uploadStatus(res, 202, name, id, offset);
                } finally {
                    st.lock.unlock();
                }
            }
            case "PUT" -> {
                String digestText = q.first("digest");
                if (digestText == null) {
                    throw new RegistryException(OciError.DIGEST_INVALID, "digest parameter missing");
                }
                Digest digest = Digest.parse(digestText);
                UploadState st = uploads.computeIfAbsent(id, k -> new UploadState());
                if (!st.lock.tryLock()) {
                    throw rangeInvalid(name, id, offset(id, name), "another chunk of this upload is in progress");
                }
                try {
                    append(req, st, name, id);
                    MessageDigest md = st.sha256;
                    long size;
                    try {
                        size = store.commitUpload(id.toString(), digest, md);
                    } catch (RegistryException e) {
                        registry.closeUpload(id);
                        uploads.remove(id);
                        throw e;
                    }
                    registry.completeUpload(id, name, digest, size);
                    uploads.remove(id);
                    blobCreated(res, name, digest);
                } finally {
                    st.lock.unlock();
                }
            }
            case "DELETE" -> {
                offset(id, name);
                registry.closeUpload(id);
                store.deleteUpload(id.toString());
                uploads.remove(id);
                res.setStatus(204);
            }
            default -> throw unsupported();
        }
    }

    /** Appends the request body (if any) at the session offset; returns the new offset. Caller holds the lock. */
    private long append(HttpServletRequest req, UploadState st, String name, UUID id) throws IOException {
        long offset = offset(id, name);
        ByteRange cr = ByteRange.parseContentRange(req.getHeader("Content-Range"));
        if (cr != null && cr.first() != offset) {
            throw rangeInvalid(name, id, offset, "chunk out of order: expected offset " + offset);
        }
        long max = limits.maxBlobSize().toBytes() - offset;
        long contentLength = req.getContentLengthLong();
        if (contentLength > max) {
            throw tooLarge("blob larger than " + limits.maxBlobSize().toBytes() + " bytes");
        }
        if (contentLength == 0) {
            return offset;
        }
        MessageDigest md = st.sha256 != null && st.offset == offset ? st.sha256
                : offset == 0 ? Digest.newMessageDigest("sha256") : null;
        st.sha256 = null;
        long n;
        try (InputStream in = req.getInputStream()) {
            n = store.appendUpload(id.toString(), offset, in, max, md);
        }
        if (cr != null && n != cr.length()) {
            store.truncateUpload(id.toString(), offset);
            throw new RegistryException(OciError.SIZE_INVALID, 400, "chunk length does not match Content-Range",
                    null);
        }
        if (n > 0 && !registry.advanceUpload(id, offset, offset + n)) {
            throw rangeInvalid(name, id, offset, "upload moved concurrently");
        }
        st.sha256 = md;
        st.offset = offset + n;
        st.touchedNanos = System.nanoTime();
        return offset + n;
    }

    private long offset(UUID id, String name) {
        return registry.uploadOffset(id, name)
                .orElseThrow(() -> new RegistryException(OciError.BLOB_UPLOAD_UNKNOWN, "upload unknown"));
    }

    private static void uploadStatus(HttpServletResponse res, int status, String name, UUID id, long offset) {
        res.setStatus(status);
        res.setHeader("Location", uploadLocation(name, id));
        res.setHeader("Range", "0-" + Math.max(0, offset - 1));
        res.setHeader("Docker-Upload-UUID", id.toString());
        res.setContentLength(0);
    }

    private static RegistryException rangeInvalid(String name, UUID id, long offset, String message) {
        return new RegistryException(OciError.RANGE_INVALID, 416, message, null)
                .header("Location", uploadLocation(name, id))
                .header("Range", "0-" + Math.max(0, offset - 1))
                .header("Docker-Upload-UUID", id.toString());
    }

    private static void blobCreated(HttpServletResponse res, String name, Digest digest) {
        res.setStatus(201);
        res.setHeader("Location", "/v2/" + name + "/blobs/" + digest);
        res.setHeader("Docker-Content-Digest", digest.toString());
        res.setContentLength(0);
    }

    private static String uploadLocation(String name, UUID id) {
        return "/v2/" + name + "/blobs/uploads/" + id;
    }

    // --- referrers (end-12) ---

    private void referrers(HttpServletRequest req, HttpServletResponse res, String method, String name,
            String reference, Query q) throws IOException {
        allow(method, "GET");
        Digest subject = Digest.parse(reference);
        auth.require(req, List.of(Scope.repository(name, "pull")));
        String artifactType = q.first("artifactType");
        if (artifactType != null && (artifactType.isEmpty() || artifactType.length() > 255)) {
            artifactType = null;
        }
        List<Referrer> list = registry.referrers(name, subject, artifactType, limits.maxPageSize());
        List<Map<String, Object>> descriptors = new ArrayList<>();
        for (Referrer r : list) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("mediaType", r.mediaType());
            d.put("digest", r.digest());
            d.put("size", r.size());
            if (r.artifactType() != null) {
                d.put("artifactType", r.artifactType());
            }
            if (!r.annotations().isEmpty()) {
                d.put("annotations", r.annotations());
            }
            descriptors.add(d);
        }
        if (artifactType != null) {
            res.setHeader("OCI-Filters-Applied", "artifactType");
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", descriptors);
        byte[] body = JSON.writeValueAsBytes(index);
        res.setStatus(200);
        res.setContentType(MediaTypes.OCI_INDEX);
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
    }

    // --- helpers ---

    private static void allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw unsupported();
    }

    private static RegistryException unsupported() {
        return new RegistryException(OciError.UNSUPPORTED, 405, "method not allowed on this endpoint", null);
    }

    private static RegistryException tooLarge(String message) {
        return new RegistryException(OciError.SIZE_INVALID, 413, message, null);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void writeJson(HttpServletResponse res, int status, Object body, String method) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        res.setStatus(status);
        res.setContentType("application/json");
        res.setContentLength(bytes.length);
        if (!"HEAD".equals(method)) {
            res.getOutputStream().write(bytes);
        }
    }

    /** Renders a refusal as the spec's error JSON. */
    @ExceptionHandler(RegistryException.class)
    public void registryError(RegistryException e, HttpServletRequest req, HttpServletResponse res)
            throws IOException {
        writeError(res, e, req.getMethod());
    }

    /** An unexpected failure: 500 with code UNKNOWN, logged. */
    @ExceptionHandler(Exception.class)
    public void unexpected(Exception e, HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (e instanceof IOException && res.isCommitted()) {
            log.debug("client went away: {}", e.toString());
            return;
        }
        log.error("registry request {} {} failed", req.getMethod(), req.getRequestURI(), e);
        if (!res.isCommitted()) {
            res.reset();
            res.setHeader("Docker-Distribution-API-Version", "registry/2.0");
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("code", "UNKNOWN");
            err.put("message", "internal error");
            writeJson(res, 500, Map.of("errors", List.of(err)), req.getMethod());
        }
    }

    static void writeError(HttpServletResponse res, RegistryException e, String method) throws IOException {
        if (res.isCommitted()) {
            return;
        }
        res.reset();
        res.setHeader("Docker-Distribution-API-Version", "registry/2.0");
        e.headers().forEach(res::setHeader);
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("code", e.code().name());
        err.put("message", e.getMessage());
        if (e.detail() != null) {
            err.put("detail", e.detail());
        }
        writeJson(res, e.status(), Map.of("errors", List.of(err)), method);
    }
}
