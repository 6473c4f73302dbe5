package io.isthmus.slowpath.control;

/**
 * The whole of the slowpath's route tables at {@code version}, encoded once as ROUTE_UPDATE parts (flag SNAPSHOT, part
 * 0 FIRST, the last LAST, {@code From} the part index), kept while a fastpath still needs it.
 */
record RouteSnapshot(long version, byte[][] parts) {

    int partCount() {
        return parts.length;
    }
}
