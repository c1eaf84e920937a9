package io.vmegcamel.downstream;

import io.vmegcamel.ledger.Ledger;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The operator's view of downstream deliveries ({@code java -jar vmeg-camel.jar events ...}): list pending, dead
 * or recent events, show one, and replay dead-lettered or past deliveries. A replay sends the same event (same
 * id, same body) again, so receivers that dedupe on the id see nothing new; replaying twice is harmless. Works on
 * the bundle's ledger with the bundle's settings; a running bundle sends replayed deliveries at its next poll.
 */
public final class EventCommands {

    static final String USAGE = """
            usage: java -jar vmeg-camel.jar events [pending|dead|recent]   deliveries waiting, dead, or the last events
                   java -jar vmeg-camel.jar events show <eventId>          the event and each of its deliveries
                   java -jar vmeg-camel.jar events replay <eventId>...     send the dead deliveries of these events again
                   java -jar vmeg-camel.jar events replay --all <eventId>...
                                                                           send these events again to every endpoint
                                                                           that accepts them (delivered ones too, and
                                                                           endpoints added since)
                   java -jar vmeg-camel.jar events replay --dead           every dead delivery again""";

    private final OutboxStore store;
    private final List<Endpoint> endpoints;
    private final PrintStream out;

    public EventCommands(Ledger ledger, List<Endpoint> endpoints, PrintStream out) {
        this.store = new OutboxStore(ledger);
        this.endpoints = endpoints;
        this.out = out;
    }


    /** Runs one command; returns the exit code (0 done, 1 refused, 2 usage). */
    public int run(List<String> args) {
        String cmd = args.isEmpty() ? "pending" : args.get(0);
        switch (cmd) {
            case "pending" -> deliveries(OutboxStore.PENDING);
            case "dead" -> deliveries(OutboxStore.DEAD);
            case "recent" -> recent();
            case "show" -> {
                return args.size() == 2 ? show(args.get(1)) : usage();
            }
            case "replay" -> {
                return args.size() >= 2 ? replay(args.subList(1, args.size())) : usage();
            }
            default -> {
                return usage();
            }
        }
        return 0;
    }

    private void deliveries(String state) {
        List<OutboxStore.Delivery> list = new ArrayList<>(store.deliveries(state, 200));
        if (state.equals(OutboxStore.PENDING)) {
            list.addAll(store.deliveries(OutboxStore.SENDING, 200));
        }
        if (list.isEmpty()) {
            out.println("No " + state.toLowerCase() + " delivery.");
        }
        for (OutboxStore.Delivery d : list) {
            out.printf("%s  %-9s %-40s %s%n    to %s, %d attempt(s), next %s%s%n", d.eventId(), d.state(),
                    shortType(d.type()), d.subject(), d.endpoint(), d.attempts(), d.nextAttemptAt(),
                    d.lastError() == null ? "" : ", last error: " + d.lastError());
        }
    }

    private void recent() {
        for (OutboxStore.Event e : store.recentEvents(50)) {
            out.printf("%s  %-14s %s  %s  %s%n", e.id(), shortType(e.type()), e.occurredAt(), e.subject(),
                    e.body() == null ? "(not routed yet)" : summary(store.deliveriesOf(e.id())));
        }
    }

    private int show(String eventId) {
        Optional<OutboxStore.Event> e = store.event(eventId);
        if (e.isEmpty()) {
            out.println("No event " + eventId + " in the ledger.");
            return 1;
        }
        out.println(e.get().body() == null ? "(not routed yet: " + e.get().type() + ")" : e.get().body());
        for (OutboxStore.Delivery d : store.deliveriesOf(eventId)) {
            out.printf("  %-9s %s, %d attempt(s)%s%n", d.state(), d.endpoint(), d.attempts(),
                    d.lastError() == null ? "" : ", last error: " + d.lastError());
        }
        return 0;
    }

    private int replay(List<String> ids) {
        boolean all = ids.get(0).equals("--all");
        if (all) {
            ids = ids.subList(1, ids.size());
            if (ids.isEmpty()) {
                return usage();
            }
        }
        List<String> eventIds = ids.equals(List.of("--dead"))
                ? store.deliveries(OutboxStore.DEAD, 10_000).stream().map(OutboxStore.Delivery::eventId).distinct()
                .toList()
                : ids;
        int refused = 0;
        for (String id : eventIds) {
            if (store.event(id).isEmpty()) {
                out.println("No event " + id + " in the ledger.");
                refused++;
                continue;
            }
            int n = store.replay(id, endpoints, all);
            out.println(id + ": " + n + " deliver" + (n == 1 ? "y" : "ies") + " scheduled"
                    + (n == 0 ? (all ? " (already pending, not routed yet, or no endpoint accepts it)"
                    : " (no dead delivery; --all sends it again to every endpoint)") : ""));
        }
        return refused == 0 ? 0 : 1;
    }

    private int usage() {
        out.println(USAGE);
        return 2;
    }

    private static String summary(List<OutboxStore.Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return "no endpoint";
        }
        return String.join(", ", deliveries.stream().map(d -> d.state().toLowerCase()).toList());
    }

    private static String shortType(String type) {
        return type.startsWith(EventTypes.PREFIX) ? type.substring(EventTypes.PREFIX.length()) : type;
    }
}
