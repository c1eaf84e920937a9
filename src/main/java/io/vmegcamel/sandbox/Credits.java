package io.vmegcamel.sandbox;

import java.util.concurrent.atomic.AtomicLong;

/** The credit balance. Charged on acceptance; refunded when a task ends failed. */
final class Credits {

    private final AtomicLong balance;
    private final Runnable onChange;

    Credits(long initial, Runnable onChange) {
        balance = new AtomicLong(initial);
        this.onChange = onChange;
    }

    void charge(long cost) {
        while (true) {
            long have = balance.get();
            if (have < cost) {
                throw new ApiException(402, "Insufficient credits: this task needs " + cost
                        + " credits, the balance is " + have);
            }
            if (balance.compareAndSet(have, have - cost)) {
                onChange.run();
                return;
            }
        }
    }

    void refund(long cost) {
        balance.addAndGet(cost);
        onChange.run();
    }

    void set(long value) {
        balance.set(value);
        onChange.run();
    }

    /** The balance saved before a restart (no change is reported). */
    void restore(long value) {
        balance.set(value);
    }

    long balance() {
        return balance.get();
    }
}
