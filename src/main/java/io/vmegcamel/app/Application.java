package io.vmegcamel.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.ledger.Ledger;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Starts the bundle: Camel Main with the YAML routes in {@code routes/} and {@code application.properties}.
 * {@code tasks ...} and {@code jobs ...} run an operator command on the ledger instead ({@link TaskCommands},
 * {@link JobCommands}).
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("tasks") || args[0].equals("jobs"))) {
            System.exit(operator(args[0], Arrays.asList(args).subList(1, args.length)));
        }
        Main main = new Main(Application.class);
        main.run(args);
    }

    /** The same settings as the bundle (properties files, profile, environment, -D), and its ledger. */
    private static int operator(String command, List<String> args) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            String profile = System.getProperty("camel.main.profile", System.getenv("CAMEL_MAIN_PROFILE"));
            PropertiesComponent properties = context.getPropertiesComponent();
            properties.setLocation("classpath:application.properties;optional=true"
                    + (profile == null || profile.isBlank() ? ""
                    : ",classpath:application-" + profile + ".properties;optional=true"));
            Settings settings = Settings.load(properties);
            try (Ledger ledger = Ledger.open(settings.ledgerUrl(), settings.ledgerUsername(),
                    settings.ledgerPassword(), 2)) {
                return command.equals("jobs") ? new JobCommands(ledger, settings, new ObjectMapper(), System.out).run(args)
                        : new TaskCommands(ledger, settings, System.out).run(args);
            }
        }
    }
}
