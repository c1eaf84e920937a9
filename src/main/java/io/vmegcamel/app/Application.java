package io.vmegcamel.app;

import io.vmegcamel.ledger.Ledger;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Starts the bundle: Camel Main with the YAML routes in {@code routes/} and {@code application.properties}.
 * {@code tasks ...} runs an operator command on the ledger instead ({@link TaskCommands}).
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("tasks")) {
            System.exit(tasks(Arrays.asList(args).subList(1, args.length)));
        }
        Main main = new Main(Application.class);
        main.run(args);
    }

    /** The same settings as the bundle (properties files, profile, environment, -D), and its ledger. */
    private static int tasks(List<String> args) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            String profile = System.getProperty("camel.main.profile", System.getenv("CAMEL_MAIN_PROFILE"));
            PropertiesComponent properties = context.getPropertiesComponent();
            properties.setLocation("classpath:application.properties;optional=true"
                    + (profile == null || profile.isBlank() ? ""
                    : ",classpath:application-" + profile + ".properties;optional=true"));
            Settings settings = Settings.load(properties);
            try (Ledger ledger = Ledger.open(settings.ledgerUrl(), settings.ledgerUsername(),
                    settings.ledgerPassword(), 2)) {
                return new TaskCommands(ledger, settings, System.out).run(args);
            }
        }
    }
}
