package dev.pypianalytics.clickhouse.embedded;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ClickHouse engine library ({@code libchdb}) from chDB's npm package: fetched once with
 * {@code npm pack} into a per-user cache, checked against a pinned integrity, extracted, and reused.
 * Never part of the repository or the jar.
 */
public final class EnginePackage {

    private static final Logger log = LoggerFactory.getLogger(EnginePackage.class);

    /** Pinned integrities (npm's {@code dist.integrity}) of the packages we have verified. */
    private static final Map<String, String> PINNED = Map.of(
            "@chdb/lib-linux-x64-gnu@26.7.3-stable.1",
            "sha512-XP97mMqnc5tZpKQywR8N7cLTsHNiTmHr30pC5mzo3jWmukjKn2IBa60c2B/gWUNcuFjOMjWoorQICCqBVj5wpw==");

    private static final String MARKER = "verified-integrity";

    /**
     * Which package and file serve this machine.
     *
     * @param npmPackage package name, e.g. {@code @chdb/lib-linux-x64-gnu}
     * @param library    file name of the library inside the package
     */
    public record Platform(String npmPackage, String library) {

        /** The package for an OS/CPU pair, or an {@link EmbeddedEngineException} naming what is missing. */
        public static Platform detect(String osName, String osArch, boolean musl) {
            String os = osName.toLowerCase(Locale.ROOT);
            String arch = osArch.toLowerCase(Locale.ROOT);
            boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
            boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
            if (os.contains("linux") && !musl && (x64 || arm64)) {
                return new Platform("@chdb/lib-linux-" + (x64 ? "x64" : "arm64") + "-gnu", "libchdb.so");
            }
            if (os.contains("mac") && arm64) {
                return new Platform("@chdb/lib-darwin-arm64", "libchdb.so");
            }
            throw new EmbeddedEngineException(EmbeddedEngineException.Reason.UNSUPPORTED_PLATFORM,
                    "No embedded ClickHouse engine package for " + osName + " " + osArch + (musl ? " (musl libc)" : "") + ".");
        }

        public static Platform current() {
            boolean musl = Files.exists(Path.of("/lib/ld-musl-x86_64.so.1")) || Files.exists(Path.of("/lib/ld-musl-aarch64.so.1"));
            return detect(System.getProperty("os.name"), System.getProperty("os.arch"), musl);
        }
    }

    private final Platform platform;
    private final String version;
    private final String integrity;
    private final Path cacheDir;
    private final String npmCommand;
    private final Duration fetchTimeout;

    /**
     * @param integrity expected {@code sha512-...}; {@code null} or blank = the pinned one, if any
     */
    public EnginePackage(Platform platform, String version, String integrity, Path cacheDir, String npmCommand,
                         Duration fetchTimeout) {
        this.platform = platform;
        this.version = version;
        this.cacheDir = cacheDir;
        this.npmCommand = npmCommand;
        this.fetchTimeout = fetchTimeout;
        String pinned = PINNED.get(spec());
        this.integrity = integrity != null && !integrity.isBlank() ? integrity.strip() : pinned;
        if (this.integrity == null) {
            throw new EmbeddedEngineException(EmbeddedEngineException.Reason.UNSUPPORTED_PLATFORM,
                    "No verified integrity for engine package " + spec() + ". Set pypi.embedded.engine-integrity to the "
                            + "package's 'npm view " + spec() + " dist.integrity' once you trust it.");
        }
    }

    /** {@code name@version}, as npm takes it. */
    public String spec() {
        return platform.npmPackage() + "@" + version;
    }

    /** Directory of this package version in the cache. */
    public Path directory() {
        return cacheDir.resolve("engine").resolve(platform.npmPackage().replace('/', '+') + "@" + version);
    }

    /** The library, fetched and verified first if the cache does not hold it yet. */
    public Path library() {
        Path dir = directory();
        Path library = dir.resolve(platform.library());
        if (isCached(dir, library)) {
            return library;
        }
        Path root = cacheDir.resolve("engine");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new EmbeddedEngineException(EmbeddedEngineException.Reason.FETCH_FAILED,
                    "Cannot create the engine cache directory " + root + ": " + e.getMessage(), e);
        }
        // Several processes (tests, a running gateway) may start at once: one fetches, the others wait.
        try (FileChannel channel = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            if (isCached(dir, library)) {
                return library;
            }
            fetchInto(root, dir, library);
            return library;
        } catch (IOException e) {
            throw new EmbeddedEngineException(EmbeddedEngineException.Reason.FETCH_FAILED,
                    "Cannot fetch the ClickHouse engine " + spec() + " into " + dir + ": " + e.getMessage(), e);
        }
    }

    private boolean isCached(Path dir, Path library) {
        try {
            Path marker = dir.resolve(MARKER);
            return Files.isRegularFile(library) && Files.isRegularFile(marker)
                    && Files.readString(marker, StandardCharsets.UTF_8).strip().equals(integrity);
        } catch (IOException e) {
            return false;
        }
    }

    private void fetchInto(Path root, Path dir, Path library) throws IOException {
        Path work = Files.createTempDirectory(root, "fetch-");
        try {
            log.info("Fetching the ClickHouse engine {} with npm into {} (about 180 MB, once per machine) ...", spec(), dir);
            long started = System.nanoTime();
            Path tarball = npmPack(work);
            String actual = sha512(tarball);
            if (!actual.equals(integrity)) {
                throw new EmbeddedEngineException(EmbeddedEngineException.Reason.INTEGRITY_MISMATCH,
                        "Engine package " + spec() + " has integrity " + actual + ", expected " + integrity + ".");
            }
            Path extracted = work.resolve(platform.library());
            extract(tarball, "package/" + platform.library(), extracted);
            Files.createDirectories(dir);
            Files.move(extracted, library, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // Written last: its presence means the library next to it is complete and verified.
            Files.writeString(dir.resolve(MARKER), integrity + "\n", StandardCharsets.UTF_8);
            log.info("ClickHouse engine {} ready in {} s", spec(), (System.nanoTime() - started) / 1_000_000_000);
        } finally {
            deleteRecursively(work);
        }
    }

    private Path npmPack(Path work) throws IOException {
        Path npmLog = work.resolve("npm.log");
        Process npm;
        try {
            npm = new ProcessBuilder(List.of(npmCommand, "pack", spec(), "--pack-destination", work.toString(), "--loglevel=error"))
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(npmLog.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
        } catch (IOException e) {
            throw new EmbeddedEngineException(EmbeddedEngineException.Reason.NPM_MISSING,
                    "npm is needed once to fetch the embedded ClickHouse engine, but '" + npmCommand + "' could not be run: "
                            + e.getMessage(), e);
        }
        try {
            if (!npm.waitFor(fetchTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                npm.destroyForcibly();
                throw new EmbeddedEngineException(EmbeddedEngineException.Reason.FETCH_FAILED,
                        "npm pack " + spec() + " did not finish within " + fetchTimeout + ".");
            }
        } catch (InterruptedException e) {
            npm.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new EmbeddedEngineException(EmbeddedEngineException.Reason.FETCH_FAILED, "Interrupted while fetching " + spec(), e);
        }
        String output = Files.exists(npmLog) ? Files.readString(npmLog, StandardCharsets.UTF_8).strip() : "";
        if (npm.exitValue() != 0) {
            boolean missing = output.contains("E404") || output.contains("404 Not Found");
            throw new EmbeddedEngineException(
                    missing ? EmbeddedEngineException.Reason.UNSUPPORTED_PLATFORM : EmbeddedEngineException.Reason.FETCH_FAILED,
                    "npm pack " + spec() + " failed (exit " + npm.exitValue() + "): " + tail(output, 800));
        }
        try (DirectoryStream<Path> tarballs = Files.newDirectoryStream(work, "*.tgz")) {
            for (Path tarball : tarballs) {
                return tarball;
            }
        }
        throw new EmbeddedEngineException(EmbeddedEngineException.Reason.FETCH_FAILED,
                "npm pack " + spec() + " produced no .tgz file: " + tail(output, 800));
    }

    static String sha512(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-512");
            try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20), digest)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return "sha512-" + Base64.getEncoder().encodeToString(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is required of every JVM", e);
        }
    }

    static void extract(Path tarball, String entryName, Path target) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(tarball), 1 << 20)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.getName().equals(entryName)) {
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    return;
                }
            }
        }
        throw new IOException(tarball.getFileName() + " has no " + entryName);
    }

    private static String tail(String text, int max) {
        return text.length() <= max ? text : "..." + text.substring(text.length() - max);
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win") ? "NUL" : "/dev/null");
    }

    private static void deleteRecursively(Path path) {
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("Could not clean up {}: {}", path, e.getMessage());
        }
    }
}
