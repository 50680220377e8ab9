package io.wschat.game;

/**
 * The whole visible state after one tick, immutable, with players in ascending id order, so
 * two snapshots compare in one pass. Coordinates are whole arena units.
 */
public record Snapshot(int tick, int round, boolean intermission, int ticksLeft,
                       int[] ids, int[] xs, int[] ys, int[] scores, int[] coinXs, int[] coinYs) {

    public int players() {
        return ids.length;
    }

    /** The index of player {@code id}, or -1. */
    public int indexOf(int id) {
        return java.util.Arrays.binarySearch(ids, id);
    }
}
