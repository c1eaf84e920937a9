package io.vmegcamel.app;

import org.apache.camel.main.Main;

/** Starts the bundle: Camel Main with the YAML routes in {@code routes/} and {@code application.properties}. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(Application.class);
        main.run(args);
    }
}
