package dev.messenger.server.deploy;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What can be checked of docker-compose.yml, the Dockerfile and the gateway without a Docker
 * engine: the backend's environment variables are configuration keys the server reads, images are
 * pinned, the Dockerfile runs the distribution's start script, and the gateway routes every gRPC
 * service and REST path to the service that owns it.
 */
class ComposeFileTest {
    private static final List<String> BACKEND = List.of("migrate", "users", "messages", "notifications");
    private static final Map<String, List<String>> REST_PREFIXES = Map.of(
            "users", List.of("/users", "/auth/"),
            "messages", List.of("/messages/", "/conversations"),
            "notifications", List.of("/notifications"));

    private final ComposeFile compose = ComposeFile.load();
    private final Path root = compose.repositoryRoot();

    @Test
    void backendEnvironmentNamesOnlyKeysTheServerReads() throws Exception {
        Set<String> keys = configurationKeys();
        for (String service : BACKEND) {
            for (String variable : compose.environment(service).keySet()) {
                String key = variable.toLowerCase(java.util.Locale.ROOT).replace("_dash_", "-").replace('_', '.');
                assertTrue(keys.contains(key), service + ": " + variable + " (" + key + ") is not a key of application.yaml " + keys);
            }
        }
        assertEquals("migrate", compose.environment("migrate").get("MESSENGER_MODE"));
        for (String service : List.of("users", "messages", "notifications")) {
            Map<String, String> environment = compose.environment(service);
            assertEquals(service, environment.get("MESSENGER_SERVICES"), service);
            assertEquals("false", environment.get("DB_MIGRATE"), service + " leaves migrating to the migrate step");
            assertFalse(environment.containsKey("MESSENGER_MODE"), service);
        }
    }

    @Test
    void imagesArePinnedAndTheBackendIsBuiltHere() {
        for (var entry : compose.services().entrySet()) {
            String image = compose.image(entry.getKey());
            if (BACKEND.contains(entry.getKey())) {
                assertEquals("messenger-server:latest", image, entry.getKey());
                assertEquals(".", String.valueOf(entry.getValue().get("build")), entry.getKey() + " is built from the repository's Dockerfile");
            } else {
                assertTrue(image.matches("[a-z0-9./-]+:[0-9][A-Za-z0-9.-]*"), entry.getKey() + " pins a version tag: " + image);
            }
        }
        assertEquals("postgres:15", compose.image("postgres"));
        assertTrue(compose.image("kafka").startsWith("apache/kafka:"), compose.image("kafka"));
        assertTrue(compose.image("gateway").startsWith("nginx:"), compose.image("gateway"));
    }

    @Test
    void dockerfileRunsTheDistributionAsBuilt() throws Exception {
        String dockerfile = Files.readString(root.resolve("Dockerfile"));
        String assembly = Files.readString(root.resolve("backend/server/src/assembly/dist.xml"));
        String pom = Files.readString(root.resolve("backend/server/pom.xml"));

        // The build stage unpacks the assembly's tar.gz; its name and top directory are the POM's and descriptor's.
        assertTrue(dockerfile.contains("-pl backend/server -am package"), "builds the server module");
        assertTrue(pom.contains("<finalName>messenger-server-${project.version}</finalName>") && pom.contains("<appendAssemblyId>false</appendAssemblyId>"));
        assertTrue(dockerfile.contains("tar -xzf backend/server/target/messenger-server-*.tar.gz -C /dist"));
        assertTrue(assembly.contains("<baseDirectory>messenger-server</baseDirectory>"));
        assertTrue(dockerfile.contains("COPY --from=build /dist/messenger-server /opt/messenger-server"));

        // CMD is the distribution's start script, which exists and is packed into bin/.
        Matcher cmd = Pattern.compile("(?m)^CMD \\[\"/opt/messenger-server/(bin/[a-z-]+)\"]").matcher(dockerfile);
        assertTrue(cmd.find(), "CMD runs a script of the distribution");
        Path script = root.resolve("backend/server/src/dist").resolve(cmd.group(1));
        assertTrue(Files.isExecutable(script), script + " exists and is executable");
        assertTrue(assembly.contains("<source>src/dist/" + cmd.group(1) + "</source>"), "the assembly packs " + cmd.group(1));
        assertTrue(Files.readString(script).contains("exec \"$java\""), "the script execs the JVM (signals reach it)");
        assertTrue(Files.readString(script).contains("MESSENGER_JAVA"), "the script accepts the image's JRE");
        assertTrue(dockerfile.contains("MESSENGER_JAVA=/opt/java/openjdk/bin/java"));

        // Every file the assembly takes from outside the module reaches the build context.
        String dockerignore = Files.readString(root.resolve(".dockerignore"));
        for (String admitted : List.of("!bin/java-home", "!db/", "!openapi.yaml", "!pom.xml", "!desktop-app/pom.xml", "!proto/src/", "!backend/*/src/")) {
            assertTrue(dockerignore.lines().anyMatch(admitted::equals), ".dockerignore admits " + admitted);
        }
        assertTrue(assembly.contains("${project.basedir}/../../bin/java-home"), "bin/java-home is the repository's own");
        assertTrue(dockerfile.contains("EXPOSE 8080") && dockerfile.contains("/observe/health") && dockerfile.contains("USER messenger"));
    }

    @Test
    void gatewayRoutesEachServiceToItsContainer() throws Exception {
        String nginx = Files.readString(root.resolve("deploy/nginx.conf"));
        Map<String, String> locations = locations(nginx);
        for (String service : List.of("Users", "Messages", "Notifications")) {
            String name = service.toLowerCase(java.util.Locale.ROOT);
            assertEquals("grpc://" + name + "_grpc", locations.get("/messenger.v1." + service + "Service/"), "gRPC " + service + "Service");
            for (String upstream : List.of(name + "_grpc", name + "_rest")) {
                assertTrue(Pattern.compile("upstream " + upstream + " \\{\\s*server " + name + ":8080;").matcher(nginx).find(),
                        "upstream " + upstream + " is the " + name + " containers");
            }
        }
        // Every REST path of the contract goes to the service that owns it.
        Map<String, Object> openApi;
        try (InputStream in = Files.newInputStream(root.resolve("openapi.yaml"))) {
            openApi = new Yaml().load(in);
        }
        @SuppressWarnings("unchecked")
        Set<String> paths = ((Map<String, Object>) openApi.get("paths")).keySet();
        List<String> checked = new ArrayList<>();
        for (String path : paths) {
            if (path.startsWith("/observe/") && !path.equals("/observe/health") || path.equals("/openapi")) {
                continue;
            }
            String owner = REST_PREFIXES.entrySet().stream()
                    .filter(entry -> entry.getValue().stream().anyMatch(path::startsWith))
                    .map(Map.Entry::getKey).findFirst().orElse("users"); // /observe/health: the users service
            String location = locations.keySet().stream().filter(path::startsWith)
                    .max(Comparator.comparingInt(String::length)).orElse(null);
            assertNotNull(location, path + " is routed");
            assertEquals("http://" + owner + "_rest", locations.get(location), path + " goes to " + owner);
            checked.add(path);
        }
        assertTrue(checked.size() >= 8, "the contract's paths were found: " + checked);
        assertTrue(nginx.contains("listen 8080;") && nginx.contains("http2 on;"), "h2c and HTTP/1.1 on port 8080");
    }

    /** Prefix locations of deploy/nginx.conf (exact ones as their path) and where each passes to. */
    private static Map<String, String> locations(String nginx) {
        Matcher matcher = Pattern.compile("location\\s+(?:=\\s+)?(\\S+)\\s*\\{[^}]*?(?:grpc|proxy)_pass\\s+([^;]+);").matcher(nginx);
        Map<String, String> result = new java.util.HashMap<>();
        while (matcher.find()) {
            result.put(matcher.group(1), matcher.group(2));
        }
        return result;
    }

    /** Every key (leaf or section) of the server's application.yaml, dotted. */
    private static Set<String> configurationKeys() throws Exception {
        try (InputStream in = ComposeFileTest.class.getClassLoader().getResourceAsStream("application.yaml")) {
            assertNotNull(in, "application.yaml on the class path");
            Map<String, Object> yaml = new Yaml().load(in);
            Set<String> keys = new TreeSet<>();
            collect("", yaml, keys);
            return keys;
        }
    }

    private static void collect(String prefix, Map<?, ?> node, Set<String> keys) {
        node.forEach((name, value) -> {
            String key = prefix + name;
            keys.add(key);
            if (value instanceof Map<?, ?> child) {
                collect(key + ".", child, keys);
            }
        });
    }
}
