package dev.mapscope.maps;

/**
 * Sees the growth state machine of a {@link GoMap}: Go's {@code hashGrow}, each {@code evacuate} of an old
 * bucket, and the end of the growth in {@code advanceEvacuationMark}. Register with
 * {@link GoMap#setGrowthListener(GoGrowthListener)}.
 *
 * <p>Calls happen on the writing thread, inside the write, while the map holds Go's {@code hashWriting} flag:
 * a listener must not use the map it listens to (that would be reported as a concurrent read or write) and
 * should be quick. The map's structure is consistent at each call; {@link GoMap#snapshot()} from another
 * thread is not safe then.
 */
public interface GoGrowthListener {

    /**
     * A growth started ({@code hashGrow}): the map now has {@code 2^newB} buckets and keeps {@code 2^oldB} old
     * ones until they are all evacuated.
     *
     * @param sameSize true for a same-size growth (too many overflow buckets), false for a doubling
     */
    default void growStarted(int oldB, int newB, boolean sameSize) {}

    /**
     * Old bucket {@code oldBucket} and its overflow chain were evacuated: {@code toX} entries went to new
     * bucket {@code oldBucket} (X, the low half) and {@code toY} to {@code oldBucket + 2^oldB} (Y, the high half;
     * always 0 for a same-size growth).
     */
    default void bucketEvacuated(int oldBucket, int toX, int toY) {}

    /** The last old bucket was evacuated; the map has {@code 2^B} buckets and no old ones. */
    default void growFinished(int B) {}
}
