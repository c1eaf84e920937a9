package io.vmegcamel.app;

import org.apache.camel.support.service.ServiceSupport;

/** Ties a resource to the CamelContext's life: closed when the context stops (after the routes). */
final class Closing extends ServiceSupport {

    private final String name;
    private final AutoCloseable resource;

    Closing(String name, AutoCloseable resource) {
        this.name = name;
        this.resource = resource;
    }

    @Override
    protected void doStop() throws Exception {
        resource.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
