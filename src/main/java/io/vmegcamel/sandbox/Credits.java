package io.vmegcamel.sandbox;

import java.util.concurrent.atomic.AtomicLong;

/** The credit balance. Charged on acceptance; refunded when a task ends failed. */
final class Credits {

    private final AtomicLong balance;

    Credits(long initial) {
        balance = new AtomicLong(initial);
    }

    void charge(long cost) {
        while (true) {
            long have = balance.get();
            if (have < cost) {
                throw new ApiException(402, "Insufficient credits: this task needs " + cost
                        + " credits, the balance is " + have);
            }
            if (balance.compareAndSet(have, have - cost)) {
                return;
            }
        }
    }

    void refund(long cost) {
        balance.addAndGet(cost);
    }

    void set(long value) {
        balance.set(value);
    }

    long balance() {
        return balance.get();
    }
}
