package io.vmegcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.Function;

/** {@code {records, total}} pages. The docs publish no maximum page size; the sandbox caps it at 100. */
final class Paging {

    static final int MAX_PAGE_SIZE = 100;

    private Paging() {
    }

    static <T> ObjectNode page(List<T> all, int currentPage, int pageSize, Function<T, JsonNode> render) {
        ArrayNode records = Json.array();
        long from = (long) (currentPage - 1) * pageSize;
        for (long i = from; i < Math.min(all.size(), from + pageSize); i++) {
            records.add(render.apply(all.get((int) i)));
        }
        ObjectNode o = Json.object();
        o.set("records", records);
        o.put("total", all.size());
        return o;
    }
}
