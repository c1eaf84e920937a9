package io.vmegcamel.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.downstream.DownstreamSettings;
import io.vmegcamel.downstream.EventCommands;
import io.vmegcamel.ledger.Ledger;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Starts the bundle: Camel Main with the YAML routes in {@code routes/} and {@code application.properties}.
 * {@code tasks ...}, {@code jobs ...} and {@code events ...} run an operator command on the ledger instead
 * ({@link TaskCommands}, {@link JobCommands}, {@link EventCommands}).
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && List.of("tasks", "jobs", "events").contains(args[0])) {
            System.setProperty("vmeg.log-level", "WARN"); // before the first logger: read by log4j2.properties
        }
        Integer exitCode = command(args);
        if (exitCode != null) {
            System.exit(exitCode);
        }
        // no main class: Camel Main would scan its package (reading the whole jar) before application.properties
        // turns the scan off, and wire the configuration classes it names a second time
        Main main = new Main();
        try {
            main.run(args);
        } catch (Exception | Error e) {
            // a start that failed (bad setting, port taken) must end the process: threads already started (the
            // sandbox's server, the ledger's pool) would otherwise keep a JVM alive that serves nothing
            System.err.println("vmeg-camel did not start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** The exit code of the operator command {@code args} names, or null when they start the bundle. */
    static Integer command(String... args) throws Exception {
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        if (args.length > 0 && args[0].equals("tasks")) {
            return withLedger((settings, properties, ledger) -> new TaskCommands(ledger, settings, System.out).run(rest));
        }
        if (args.length > 0 && args[0].equals("jobs")) {
            return withLedger((settings, properties, ledger) ->
                    new JobCommands(ledger, settings, new ObjectMapper(), System.out).run(rest));
        }
        if (args.length > 0 && args[0].equals("events")) {
            return withLedger((settings, properties, ledger) ->
                    new EventCommands(ledger, DownstreamSettings.load(properties).endpoints(), System.out).run(rest));
        }
        return null;
    }

    private interface Command {
        int run(Settings settings, PropertiesComponent properties, Ledger ledger) throws Exception;
    }

    /** Runs an operator command with the bundle's settings (properties files, profile, environment, -D) and ledger. */
    private static int withLedger(Command command) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            String profile = System.getProperty("camel.main.profile", System.getenv("CAMEL_MAIN_PROFILE"));
            PropertiesComponent properties = context.getPropertiesComponent();
            properties.setLocation("classpath:application.properties;optional=true"
                    + (profile == null || profile.isBlank() ? ""
                    : ",classpath:application-" + profile + ".properties;optional=true"));
            Settings settings = Settings.load(properties);
            try (Ledger ledger = Ledger.open(settings.ledgerUrl(), settings.ledgerUsername(),
                    settings.ledgerPassword(), 2)) {
                return command.run(settings, properties, ledger);
            }
        }
    }
}
