package org.handoff;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.handoff.mapping.Mappings;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * {@code handoff.jar check}: loads routes/ and mappings/ the way the hub would, without starting any
 * consumer, and reports each problem with its file (and line where the parser gives one).
 * Exit code 0 when everything loads, 1 otherwise.
 */
public final class HandoffCheck {

    private final HandoffConfig config;
    private final PrintStream out;

    public HandoffCheck(HandoffConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    public int run() {
        List<String> problems = new ArrayList<>();
        Path routesDir = config.routesDir();
        List<Path> files = routeFiles(routesDir, problems);
        problems.addAll(Mappings.problems(config.mappingsDir()));
        List<String> routeProblems = new ArrayList<>();
        for (Path file : files) {
            routeProblems.addAll(checkYamlSyntax(file));
        }
        if (routeProblems.isEmpty()) {
            for (Path file : files) {
                routeProblems.addAll(checkRouteDsl(file));
            }
        }
        if (routeProblems.isEmpty()) {
            for (String problem : bootWithoutConsumers()) {
                routeProblems.add(withFile(problem, files));
            }
        }
        problems.addAll(routeProblems);
        if (problems.isEmpty()) {
            out.printf("check: OK — %d route files in %s and the mappings in %s load cleanly%n", files.size(),
                    routesDir.toAbsolutePath().normalize(), config.mappingsDir().toAbsolutePath().normalize());
            return 0;
        }
        problems.forEach(p -> out.println("check: " + p));
        out.printf("check: FAILED — %d problem(s)%n", problems.size());
        return 1;
    }

    private static List<Path> routeFiles(Path dir, List<String> problems) {
        if (!Files.isDirectory(dir)) {
            problems.add(dir + ": routes folder not found");
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            problems.add(dir + ": " + e.getMessage());
            return List.of();
        }
    }

    static List<String> checkYamlSyntax(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            new Load(LoadSettings.builder().build()).loadAllFromReader(reader).forEach(doc -> { });
            return List.of();
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            return List.of(file + ":" + line + ": " + e.getProblem());
        } catch (Exception e) {
            return List.of(file + ": " + e.getMessage());
        }
    }

    /** Parses the file with Camel's YAML DSL alone: unknown keys and bad shapes, reported per file. */
    static List<String> checkRouteDsl(Path file) {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getCamelContextExtension().setName("handoff-check");
            Resource resource = ResourceHelper.resolveResource(context, "file:" + file.toAbsolutePath());
            PluginHelper.getRoutesLoader(context).loadRoutes(resource);
            return List.of();
        } catch (Exception e) {
            return List.of(file + ": " + firstLines(e));
        }
    }

    /** Builds every route against the real beans on a throwaway in-memory store, starting no consumer. */
    private List<String> bootWithoutConsumers() {
        List<String> problems = new ArrayList<>();
        Path scratch;
        try {
            scratch = Files.createTempDirectory("handoff-check");
        } catch (IOException e) {
            return List.of("cannot create a scratch folder: " + e.getMessage());
        }
        HandoffConfig checkConfig = config
                .with("handoff.db.url", "jdbc:h2:mem:handoff-check;DB_CLOSE_DELAY=-1")
                .with("handoff.data-dir", scratch.toString())
                .with("camel.server.port", "0")
                .with("camel.management.enabled", "false")
                .with("camel.main.autoStartup", "false");
        try (HandoffApplication app = new HandoffApplication(checkConfig, Map.of("HANDOFF_API_TOKEN", "check"),
                Clock.systemUTC())) {
            app.start();
            if (app.context() == null || app.context().getRoutes().isEmpty()) {
                problems.add(config.routesDir() + ": no routes were loaded");
            }
        } catch (Exception e) {
            problems.add(firstLines(e));
        }
        return problems;
    }

    /** Camel names the route, not its file: find the file that declares that route id. */
    static String withFile(String problem, List<Path> files) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("route: ([\\w.-]+)").matcher(problem);
        if (!m.find()) {
            return problem;
        }
        java.util.regex.Pattern declaration = java.util.regex.Pattern.compile(
                "(?m)^\\s*id:\\s*\"?" + java.util.regex.Pattern.quote(m.group(1)) + "\"?\\s*$");
        for (Path file : files) {
            try {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (declaration.matcher(lines.get(i)).find()) {
                        return file + ":" + (i + 1) + ": " + problem;
                    }
                }
            } catch (IOException ignored) {
                // fall through to the unattributed message
            }
        }
        return problem;
    }

    private static String firstLines(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 2000; t = t.getCause()) {
            if (t.getMessage() != null && (sb.length() == 0 || !sb.toString().contains(t.getMessage()))) {
                sb.append(sb.length() == 0 ? "" : "\n    caused by: ").append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }
}
