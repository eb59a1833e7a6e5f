import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Builds the desktop app's installers with the JDK that runs it (jlink links that JDK's own modules):
 *
 * <ol>
 * <li>a runtime image with only the modules the app needs (jdeps), and JavaFX's native libraries
 *     in the runtime's own directories, where JavaFX looks first (else it unpacks them into
 *     ~/.openjfx/cache on first start);</li>
 * <li>a jpackage app image: that runtime, the app's jars (not JavaFX: it is in the runtime), a
 *     launcher;</li>
 * <li>an AOT cache (JDK 25, JEP 514/515) trained by starting the app image once with
 *     {@code --exit-after-start}: it halves the time to the first window;</li>
 * <li>the installer for this OS (deb, msi/exe, dmg/pkg) made from that app image.</li>
 * </ol>
 *
 * <p>Run by {@code mvn -Pinstaller package} in desktop-app, which passes the settings as system
 * properties ({@code -Dinstaller.*}); see the installer profile in desktop-app/pom.xml.
 */
public final class Installer {
    private static final String OS = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    private static final boolean WINDOWS = OS.startsWith("windows");
    private static final boolean MAC = OS.startsWith("mac");

    public static void main(String[] args) throws Exception {
        Path target = Path.of(setting("target"));
        Path libs = Path.of(setting("libs"));
        Path appJar = Path.of(setting("appJar"));
        Path packaging = Path.of(setting("packaging"));
        String name = setting("name");
        String type = setting("type");
        String appVersion = appVersion(setting("version"));
        Path out = target.resolve("installer");
        deleteRecursively(out);

        // The app's jars without JavaFX's: JavaFX becomes part of the runtime image. The app jar's
        // Class-Path still names libs/javafx-*.jar; the JVM skips class path entries that do not exist.
        Path input = Files.createDirectories(out.resolve("input"));
        Files.copy(appJar, input.resolve(appJar.getFileName()));
        Files.createDirectories(input.resolve("libs"));
        List<Path> javafx = new ArrayList<>();
        try (Stream<Path> jars = Files.list(libs)) {
            for (Path jar : jars.sorted().toList()) {
                String file = jar.getFileName().toString();
                if (!file.startsWith("javafx-")) {
                    Files.copy(jar, input.resolve("libs").resolve(file));
                } else if (file.endsWith("-" + setting("javafxPlatform") + ".jar")) {
                    javafx.add(jar); // the classified jars hold the modules and native code
                }
            }
        }
        if (javafx.isEmpty()) {
            throw new IllegalStateException("No javafx-*-" + setting("javafxPlatform") + ".jar in " + libs);
        }
        String javafxPath = String.join(File.pathSeparator, javafx.stream().map(Path::toString).toList());

        // 1. Runtime image.
        List<String> appJars = new ArrayList<>();
        try (Stream<Path> files = Files.walk(input)) {
            files.filter(f -> f.toString().endsWith(".jar")).map(Path::toString).sorted().forEach(appJars::add);
        }
        List<String> jdeps = new ArrayList<>(List.of("--ignore-missing-deps", "--print-module-deps",
                "--multi-release", String.valueOf(Runtime.version().feature()), "--module-path", javafxPath));
        jdeps.addAll(appJars);
        String extraModules = System.getProperty("installer.extraModules", "").trim();
        String modules = run("jdeps", jdeps).trim() + (extraModules.isEmpty() ? "" : "," + extraModules);
        Path runtime = out.resolve("runtime");
        System.out.println("[installer] jlink: " + modules);
        run("jlink", List.of("--module-path", javafxPath, "--add-modules", modules,
                // Their copies in the runtime's lib (bin/javafx on Windows) are the ones JavaFX loads.
                "--exclude-resources", "regex:/javafx\\.[a-z]+/[^/]+\\.(so|dll|dylib)",
                "--strip-debug", "--no-header-files", "--no-man-pages", "--compress", "zip-9",
                "--output", runtime.toString()));
        copyNativeLibraries(javafx, Files.createDirectories(runtime.resolve(WINDOWS ? "bin/javafx" : "lib")));

        // 2. App image.
        Path icon = packaging.resolve(WINDOWS ? "messenger.ico" : MAC ? "messenger.icns" : "messenger.png");
        List<String> common = List.of("--name", name, "--app-version", appVersion,
                "--vendor", setting("vendor"), "--description", setting("description"),
                "--copyright", setting("copyright"), "--icon", icon.toString(), "--dest", out.toString());
        List<String> appImage = new ArrayList<>(common);
        appImage.addAll(List.of("--type", "app-image", "--runtime-image", runtime.toString(),
                "--input", input.toString(), "--main-jar", appJar.getFileName().toString(),
                "--main-class", setting("mainClass"), "--java-options", setting("javaOptions")));
        run("jpackage", appImage);
        Path image = out.resolve(MAC ? name + ".app" : name);

        // 3. AOT cache.
        if (Boolean.parseBoolean(setting("aot"))) {
            trainAotCache(image, name, out.resolve("aot-training.log"));
        }

        // 4. Installer.
        List<String> installer = new ArrayList<>(common);
        installer.addAll(List.of("--type", type, "--app-image", image.toString(),
                "--license-file", setting("licenseFile")));
        if (WINDOWS) {
            installer.addAll(List.of("--win-menu", "--win-menu-group", name, "--win-shortcut",
                    "--win-dir-chooser", "--win-upgrade-uuid", setting("windowsUpgradeUuid")));
        } else if (MAC) {
            installer.addAll(List.of("--mac-package-identifier", setting("macPackageIdentifier")));
        } else {
            installer.addAll(List.of("--linux-package-name", setting("packageName"),
                    "--linux-menu-group", setting("linuxMenuGroup"), "--linux-shortcut",
                    "--linux-app-category", "net", "--linux-package-deps", setting("linuxPackageDeps")));
        }
        run("jpackage", installer);

        System.out.println("[installer] Sizes:");
        System.out.printf("[installer]   %-14s %s  %s%n", "runtime image", size(runtime), runtime);
        System.out.printf("[installer]   %-14s %s  %s%n", "app image", size(image), image);
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith("." + type)).toList()) {
                System.out.printf("[installer]   %-14s %s  %s%n", type + " package", size(file), file);
            }
        }
    }

    /**
     * Starts the app image once, recording an AOT cache next to its jars ($APPDIR), and makes its
     * launcher use that cache. jpackage cannot add the option before the cache exists: a JVM
     * refuses -XX:AOTCache and -XX:AOTCacheOutput together.
     */
    private static void trainAotCache(Path image, String name, Path log) throws Exception {
        if (Runtime.version().feature() < 25) {
            System.out.println("[installer] No AOT cache: it needs JDK 25 or newer to build.");
            return;
        }
        Path launcher = WINDOWS ? image.resolve(name + ".exe")
                : MAC ? image.resolve("Contents/MacOS/" + name) : image.resolve("bin/" + name);
        Path appDir = MAC ? image.resolve("Contents/app") : WINDOWS ? image.resolve("app") : image.resolve("lib/app");
        Path cache = appDir.resolve("messenger.aot");
        List<String> command = new ArrayList<>();
        if (!WINDOWS && !MAC && System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null) {
            if (!onPath("xvfb-run")) {
                throw new IllegalStateException("Training the AOT cache starts the app, which needs a display:"
                        + " install xvfb (xvfb-run), or build without the cache: -Dinstaller.aot=false");
            }
            command.addAll(List.of("xvfb-run", "-a"));
        }
        command.addAll(List.of(launcher.toString(), "--exit-after-start"));
        System.out.println("[installer] Training the AOT cache: " + String.join(" ", command) + " (log: " + log + ")");
        ProcessBuilder training = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        training.environment().put("JAVA_TOOL_OPTIONS", "-XX:AOTCacheOutput=" + cache);
        Process process = training.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("The AOT training run did not finish in 180 s; see " + log);
        }
        if (process.exitValue() != 0 || !Files.exists(cache)) {
            throw new IllegalStateException("The AOT training run failed (exit " + process.exitValue() + "); see " + log);
        }
        Files.writeString(appDir.resolve(name + ".cfg"), "java-options=-XX:AOTCache=$APPDIR/messenger.aot"
                + System.lineSeparator(), StandardOpenOption.APPEND); // [JavaOptions] is the last section
        System.out.println("[installer] AOT cache: " + size(cache) + "  " + cache);
    }

    /** JavaFX's native libraries from its platform jars into dir, where JavaFX looks first. */
    private static void copyNativeLibraries(List<Path> javafxJars, Path dir) throws IOException {
        for (Path jar : javafxJars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (var entry : file.stream().toList()) {
                    String entryName = entry.getName();
                    if (!entryName.contains("/") && entryName.matches(".+\\.(so|dll|dylib)")) {
                        try (InputStream in = file.getInputStream(entry)) {
                            Files.copy(in, dir.resolve(entryName), StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
        }
    }

    /** jpackage wants N[.N[.N]]: 0.1.0-SNAPSHOT becomes 0.1.0. */
    private static String appVersion(String projectVersion) {
        String version = projectVersion.replaceFirst("[-+].*$", "");
        if (!version.matches("\\d+(\\.\\d+){0,2}")) {
            throw new IllegalArgumentException("Cannot make an installer version from " + projectVersion);
        }
        return version;
    }

    /** Runs a JDK tool in this JVM; returns what it printed, and fails if it failed. */
    private static String run(String tool, List<String> args) {
        ToolProvider provider = ToolProvider.findFirst(tool)
                .orElseThrow(() -> new IllegalStateException("This JDK has no " + tool));
        var output = new java.io.StringWriter();
        var writer = new java.io.PrintWriter(output, true);
        int status = provider.run(writer, writer, args.toArray(String[]::new));
        if (status != 0) {
            System.err.print(output);
            throw new IllegalStateException(tool + " failed (" + status + "): " + String.join(" ", args));
        }
        if (!tool.equals("jdeps") && !output.toString().isBlank()) {
            System.out.print(output);
        }
        return output.toString();
    }

    private static String setting(String key) {
        String value = System.getProperty("installer." + key);
        if (value == null) {
            throw new IllegalArgumentException("Missing -Dinstaller." + key);
        }
        return value;
    }

    private static boolean onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static String size(Path path) throws IOException {
        long bytes;
        try (Stream<Path> files = Files.walk(path)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
        return String.format(Locale.ROOT, "%6.1f MiB", bytes / 1048576.0);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
