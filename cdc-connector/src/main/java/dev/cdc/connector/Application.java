package dev.cdc.connector;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;

/** Starts one connector instance; run two with the same cdc.name for an active and a standby. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        ApplicationContext context = Micronaut.build(args).mainClass(Application.class).banner(false).start();
        try {
            context.getBean(ConnectorService.class).start();
        } catch (StartupCheckException e) {
            System.err.println("ERROR: " + e.getMessage());
            context.close();
            System.exit(2);
        }
    }
}
