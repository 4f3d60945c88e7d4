package org.datasandbox.core.dprelease;

import java.io.Serializable;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Murmur3HashFunction$;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.sql.catalyst.expressions.XxHash64Function$;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.array.ByteArrayMethods;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;
import org.apache.spark.unsafe.types.UTF8String;
import org.datasandbox.guard.dp.DpAggregate;
import org.datasandbox.guard.dp.UnitRows;

/**
 * The per-partition step of {@link StreamingUnitBounding}: one pass over a partition's unit rows ({@code keys..,
 * unit, values..}) sorted by the unit. A unit's rows are consecutive, so its state is at most L0 slots, flushed
 * when the unit changes into one small map by group; only that map leaves the task, as rows of {@code (keys..,
 * partials.., units)}.
 *
 * <p>The bounding is {@code ContributionBounding}'s to the bit: a unit keeps the L0 groups with the smallest
 * {@code xxhash64(salt, unit, keys..)} (ties by the keys ascending, NULLs last), computed by Spark's own hash
 * functions over the rows' internal values; per kept group a count is {@code min(n, Linf)}, a sum of n clamped
 * values is scaled by {@code Linf / n} when {@code n > Linf}, a distinct-unit count is 1 when a value is there.
 *
 * <p><b>The layout is checked, not trusted.</b> Per-partition bounding is sound only when every unit's rows are
 * one run in one partition. Each unit is checked to lie in its partition ({@code pmod(murmur3(unit), n)}, Spark's
 * hash partitioning and bucketing) and to come after the previous unit in order; else {@link LayoutViolation}.
 *
 * <p>Per row it allocates nothing it keeps: the row's keys are read into one scratch array and compared in place
 * with the unit's at most L0 slots (the slot of the previous row first). A slot points at the partition's one
 * instance of its group, which holds the group's partials: a key is copied once per partition, not per unit, and a
 * flush adds to the group without a map lookup. The keyed hash is computed only when a unit has more than L0
 * groups (up to L0 all are kept whatever their hash), by Spark's XXH64 per type; a BIGINT unit is never boxed.
 *
 * <p>A string key of an {@link UnsafeRow} is not even read into a {@link UTF8String} per row: it stays in the row
 * (its address and length in the row's buffer, see {@link Unit#add}). An object is made for it only when it takes a
 * slot and its group is new to the partition (then copied), or on a keyed-hash tie.
 *
 * <p><b>Short keys are packed.</b> When every key of a row is NULL, an INT, a BIGINT or a string of at most 8 bytes
 * (the common group keys), each becomes one word and a tag (its length, or NULL), compared exactly: the row's group
 * is found among the slots and in the partition's {@link GroupTable} by comparing words, with no byte compare and a
 * cheap hash of the words, and its keyed hash is computed from the words ({@link ShortKeyHash}). Other rows take the
 * byte path: a murmur3 of the keys' bytes gates a compare of the bytes. Packing depends on the values only, so a
 * group is packed in every row or in none.
 */
final class UnitBoundingPass implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Spark's seed for both hashes (HashPartitioning's murmur3 and the SQL function xxhash64). */
    private static final long SPARK_SEED = 42;

    private final int keys;
    private final DataType[] keyTypes;
    private final DataType unitType;
    private final DpAggregate.Kind[] kinds;
    private final int l0;
    private final int linf;
    /** {@code xxhash64} of the salt alone: the same for every row, so the keyed hash starts from it. */
    private final long saltHash;
    private final int partitions;
    /** The partial columns per output row: per aggregate its partials (then the unit count). */
    private final int width;

    UnitBoundingPass(UnitRows plan, List<DataType> keyTypes, DataType unitType, int partitions) {
        this.keys = plan.keys();
        this.keyTypes = keyTypes.toArray(DataType[]::new);
        this.unitType = Objects.requireNonNull(unitType, "unitType");
        this.kinds = plan.kinds().toArray(DpAggregate.Kind[]::new);
        this.l0 = plan.maxGroupsPerUnit();
        this.linf = plan.maxRowsPerUnitPerGroup();
        long salt = plan.salt();
        // Spark reads the unparsed salt literal as an INT when it fits, else as a BIGINT, and hashes it so
        DataType saltType = salt == (int) salt ? DataTypes.IntegerType : DataTypes.LongType;
        this.saltHash = XxHash64Function$.MODULE$.hash(salt, saltType, SPARK_SEED);
        if (partitions < 1 || keyTypes.size() != keys) {
            throw new IllegalArgumentException("a key type per key and at least one partition are needed");
        }
        this.partitions = partitions;
        this.width = partialColumns(plan.kinds());
    }

    /** The columns each output row holds after the keys: per aggregate its partials, then the unit count. */
    static int partialColumns(List<DpAggregate.Kind> kinds) {
        return kinds.stream().mapToInt(k -> k == DpAggregate.Kind.MEAN ? 2 : 1).sum();
    }

    Iterator<Row> bound(int partition, Iterator<InternalRow> rows) {
        GroupTable groups = new GroupTable();
        Unit state = new Unit(groups);
        boolean longUnit = unitType instanceof LongType;
        Object current = null;
        long currentLong = 0;
        boolean started = false;
        while (rows.hasNext()) {
            InternalRow row = rows.next();
            if (row.isNullAt(keys)) {
                continue; // the rewrite drops rows without a unit
            }
            if (longUnit) { // the common unit type: compared and hashed unboxed, never boxed
                long unit = row.getLong(keys);
                if (!started || unit != currentLong) {
                    if (started) {
                        if (unit < currentLong) {
                            throw notSorted(partition);
                        }
                        state.flush();
                    }
                    currentLong = unit;
                    started = true;
                    state.startLong(partition, unit);
                }
            } else {
                Object unit = row.get(keys, unitType);
                if (current == null || !current.equals(unit)) {
                    if (current != null) {
                        if (compare(unit, current) < 0) {
                            throw notSorted(partition);
                        }
                        state.flush();
                    }
                    current = unit instanceof UTF8String s ? s.copy() : unit;
                    state.start(partition, current);
                }
            }
            state.add(row);
        }
        if (current != null || started) {
            state.flush();
        }
        List<Row> out = new ArrayList<>(groups.size());
        scala.Function1<Object, Object>[] converters = converters();
        for (GroupKey key : groups.entries()) {
            double[] p = key.partial;
            if (p[width] == 0) {
                continue; // took a slot of some unit, then lost it to a group of smaller hash in each
            }
            Object[] cells = new Object[keys + width + 1];
            for (int k = 0; k < keys; k++) {
                cells[k] = key.values[k] == null ? null : converters[k].apply(key.values[k]);
            }
            int c = 0;
            for (DpAggregate.Kind kind : kinds) {
                switch (kind) {
                    case COUNT, COUNT_DISTINCT_UNITS -> cells[keys + c] = (long) p[c++];
                    case SUM -> cells[keys + c] = p[c++];
                    case MEAN -> {
                        cells[keys + c] = p[c++];
                        cells[keys + c] = (long) p[c++];
                    }
                    case QUANTILE -> throw new IllegalStateException("quantiles are bounded by the SQL path");
                }
            }
            cells[keys + width] = (long) p[width];
            out.add(RowFactory.create(cells));
        }
        return out.iterator();
    }

    private static LayoutViolation notSorted(int partition) {
        return new LayoutViolation("rows are not sorted by the privacy unit in partition " + partition);
    }

    @SuppressWarnings("unchecked")
    private scala.Function1<Object, Object>[] converters() {
        scala.Function1<Object, Object>[] out = new scala.Function1[keys];
        for (int k = 0; k < keys; k++) {
            out[k] = CatalystTypeConverters.createToScalaConverter(keyTypes[k]);
        }
        return out;
    }

    /** Spark's ascending order of non-NULL internal values of one supported type (binary for strings). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    /** The SQL path's window order: hash, then each key ascending with NULLs last. */
    private static boolean before(long hash, Object[] key, long otherHash, Object[] otherKey) {
        if (hash != otherHash) {
            return hash < otherHash;
        }
        for (int k = 0; k < key.length; k++) {
            Object a = key[k];
            Object b = otherKey[k];
            if (a == null || b == null) {
                if (a != b) {
                    return b == null;
                }
                continue;
            }
            int order = compare(a, b);
            if (order != 0) {
                return order < 0;
            }
        }
        return false;
    }

    private static final byte GENERIC = 0;
    private static final byte STRING = 1;
    private static final byte INT = 2;
    private static final byte LONG = 3;
    /** In the scratch keys: the string is still in the row, at {@code Unit.at/length} (never stored in a group). */
    private static final Object IN_PLACE = new Object();
    /** A packed key's tag for NULL (a string's tag is its length, an INT's or BIGINT's 0). */
    private static final long NULL_TAG = -1;
    /** Whether a word read at a string's address holds its first byte lowest (the byte loop's order). */
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /** The getter of each key type: strings, INT and DATE (an int), BIGINT and timestamps (a long); else generic. */
    private static byte[] readers(DataType[] types) {
        byte[] out = new byte[types.length];
        for (int k = 0; k < types.length; k++) {
            DataType type = types[k];
            out[k] = type.equals(DataTypes.StringType) ? STRING
                    : type instanceof IntegerType || type instanceof DateType ? INT
                    : type instanceof LongType || type instanceof TimestampType || type instanceof TimestampNTZType ? LONG
                    : GENERIC;
        }
        return out;
    }

    /**
     * A group's key values with their hash code computed once: the partition's one instance of a group (its values
     * owned: strings copied), which also holds the group's partials. A group whose keys all pack into words
     * ({@link Unit#pack}) also keeps them packed: a row of such keys is then matched by comparing words, not bytes.
     */
    private static final class GroupKey {
        private final Object[] values;
        private final int hashCode;
        /** Per key its word and its tag ({@link Unit#pack}), or null when a key does not pack. */
        private final long[] packed;
        /** Per partial column its sum over the partition's units, then the unit count. */
        private final double[] partial;

        GroupKey(Object[] values, int hashCode, long[] packed, double[] partial) {
            this.values = values;
            this.hashCode = hashCode;
            this.packed = packed;
            this.partial = partial;
        }
    }

    /**
     * The partition's groups by their hash, open addressing over arrays: a probe compares an int and then the row's
     * packed words (or bytes), where a HashMap went through its nodes and a virtual {@code equals}.
     */
    private static final class GroupTable {
        private GroupKey[] slots = new GroupKey[64];
        private int size;

        /** The group the unit's current row belongs to, or null. */
        GroupKey find(int hash, Unit unit) {
            int mask = slots.length - 1;
            for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
                GroupKey key = slots[i];
                if (key == null || key.hashCode == hash && unit.matches(key)) {
                    return key;
                }
            }
        }

        void add(GroupKey key) {
            if (2 * (size + 1) > slots.length) {
                GroupKey[] old = slots;
                slots = new GroupKey[old.length * 2];
                for (GroupKey k : old) {
                    if (k != null) {
                        put(k);
                    }
                }
            }
            put(key);
            size++;
        }

        private void put(GroupKey key) {
            int mask = slots.length - 1;
            int i = spread(key.hashCode) & mask;
            while (slots[i] != null) {
                i = (i + 1) & mask;
            }
            slots[i] = key;
        }

        int size() {
            return size;
        }

        List<GroupKey> entries() {
            List<GroupKey> out = new ArrayList<>(size);
            for (GroupKey key : slots) {
                if (key != null) {
                    out.add(key);
                }
            }
            return out;
        }

        private static int spread(int hash) {
            return hash ^ (hash >>> 16);
        }
    }

    /**
     * One unit's state: at most L0 slots of (the partition's group, per value its non-NULL count and sum). A slot's
     * keyed hash is computed only when the unit has more than L0 groups: up to L0 every group is kept whatever its
     * hash, so the choice is the same.
     */
    private final class Unit {
        private final GroupTable groups;
        private final long[] hashes = new long[l0];
        private final boolean[] hashed = new boolean[l0];
        private final GroupKey[] slotKeys = new GroupKey[l0];
        private final long[][] counts = new long[l0][kinds.length];
        private final double[][] sums = new double[l0][kinds.length];
        /** Per value whether its sum is kept (SUM and MEAN). */
        private final boolean[] summed = new boolean[kinds.length];
        /** The current row's keys, read in place (a string still points into the row): never kept. */
        private final Object[] scratch = new Object[keys];
        /** Per key of the current row its word and tag ({@link #pack}), valid when {@link #packs}. */
        private final long[] packedRow = new long[2 * keys];
        /** Whether every key of the current row packed into a word. */
        private boolean packs;
        /** The current row's buffer and, per string key left {@link #IN_PLACE} in it, its address and length. */
        private Object rowBase;
        private final long[] at = new long[keys];
        private final int[] length = new int[keys];
        /** The current row's keys' hash ({@link #scratchHash}): the slots' compare and the partition map's. */
        private int rowHash;
        /** Per key, which getter reads it ({@link #read}). */
        private final byte[] readers = readers(keyTypes);
        private int used;
        private int last;
        /** {@code xxhash64(salt, unit)}: where every keyed hash of the unit's groups continues. */
        private long unitHash;

        Unit(GroupTable groups) {
            this.groups = groups;
            for (int v = 0; v < kinds.length; v++) {
                summed[v] = kinds[v] == DpAggregate.Kind.SUM || kinds[v] == DpAggregate.Kind.MEAN;
            }
        }

        /** A new unit: checks that it lies in this partition, and hashes it once. */
        void start(int partition, Object unit) {
            int hash = (int) Murmur3HashFunction$.MODULE$.hash(unit, unitType, SPARK_SEED);
            if (Math.floorMod(hash, partitions) != partition) {
                throw new LayoutViolation("a privacy unit lies outside its partition " + partition);
            }
            unitHash = XxHash64Function$.MODULE$.hash(unit, unitType, saltHash);
        }

        /** {@link #start} of a BIGINT unit, through Spark's hash functions for a long (no boxing, no type match). */
        void startLong(int partition, long unit) {
            int hash = Murmur3_x86_32.hashLong(unit, (int) SPARK_SEED);
            if (Math.floorMod(hash, partitions) != partition) {
                throw new LayoutViolation("a privacy unit lies outside its partition " + partition);
            }
            unitHash = XXH64.hashLong(unit, saltHash);
        }

        void add(InternalRow row) {
            UnsafeRow unsafe = row instanceof UnsafeRow u ? u : null;
            rowBase = unsafe == null ? null : unsafe.getBaseObject();
            long rowEnd = unsafe == null ? 0 : unsafe.getBaseOffset() + unsafe.getSizeInBytes();
            packs = true;
            for (int k = 0; k < keys; k++) {
                if (row.isNullAt(k)) {
                    scratch[k] = null;
                    pack(k, 0, NULL_TAG);
                } else if (unsafe != null && readers[k] == STRING) {
                    // UnsafeRow.getUTF8String's own decoding of the cell, without the object it returns
                    long offsetAndSize = unsafe.getLong(k);
                    long address = unsafe.getBaseOffset() + (int) (offsetAndSize >> 32);
                    int size = (int) offsetAndSize;
                    at[k] = address;
                    length[k] = size;
                    scratch[k] = IN_PLACE;
                    packBytes(k, rowBase, address, size, address + Long.BYTES <= rowEnd);
                } else {
                    Object value = read(row, k);
                    scratch[k] = value;
                    switch (readers[k]) {
                        case INT -> pack(k, (Integer) value, 0);
                        case LONG -> pack(k, (Long) value, 0);
                        case STRING -> {
                            UTF8String s = (UTF8String) value;
                            packBytes(k, s.getBaseObject(), s.getBaseOffset(), s.numBytes(), false);
                        }
                        default -> packs = false;
                    }
                }
            }
            rowHash = packs ? packedHash() : scratchHash();
            int slot = find();
            if (slot < 0) {
                if (used < l0) {
                    slot = used++;
                    hashed[slot] = false;
                } else {
                    long hash = keyedHash(scratch, packs ? packedRow : null);
                    slot = largest();
                    if (hash == hashes[slot]) {
                        materialize(); // a tie: the keys' own order decides
                    }
                    if (!before(hash, scratch, hashes[slot], slotKeys[slot].values)) {
                        return; // L0 smaller groups are kept: this one never will be
                    }
                    hashes[slot] = hash;
                    hashed[slot] = true;
                }
                slotKeys[slot] = group();
                Arrays.fill(counts[slot], 0);
                Arrays.fill(sums[slot], 0);
            }
            last = slot;
            long[] count = counts[slot];
            double[] sum = sums[slot];
            for (int v = 0; v < kinds.length; v++) {
                int column = keys + 1 + v;
                if (!row.isNullAt(column)) {
                    count[v]++;
                    if (summed[v]) {
                        sum[v] += row.getDouble(column);
                    }
                }
            }
        }

        /** The partition's instance of the scratch keys' group, made (its keys copied) on its first unit. */
        private GroupKey group() {
            GroupKey found = groups.find(rowHash, this);
            if (found == null) {
                materialize();
                found = new GroupKey(owned(scratch), rowHash, packs ? packedRow.clone() : null,
                        new double[width + 1]);
                groups.add(found);
            }
            return found;
        }

        /** Key {@code k} of the current row packs into {@code word}; the tag tells NULL and strings' lengths apart. */
        private void pack(int k, long word, long tag) {
            packedRow[2 * k] = word;
            packedRow[2 * k + 1] = tag;
        }

        /**
         * A string of at most 8 bytes packs exactly: its bytes as a little-endian word, its length as the tag (a
         * longer one does not pack). {@code wide}: 8 bytes may be read at {@code address} (within the row), so one
         * read and a mask replace the byte loop; both give the same word.
         */
        private void packBytes(int k, Object base, long address, int size, boolean wide) {
            if (size > Long.BYTES) {
                packs = false;
                return;
            }
            long word = 0;
            if (wide && LITTLE_ENDIAN) {
                word = size == 0 ? 0 : Platform.getLong(base, address) & (-1L >>> (Long.SIZE - Byte.SIZE * size));
            } else {
                for (int i = 0; i < size; i++) {
                    word |= (Platform.getByte(base, address + i) & 0xFFL) << (Byte.SIZE * i);
                }
            }
            pack(k, word, size);
        }

        /** The packed keys' hash: their words and tags multiplied in, then murmur3's 64-bit finalizer. */
        private int packedHash() {
            long hash = 0;
            for (long word : packedRow) {
                hash = (hash + word) * 0x9E3779B97F4A7C15L;
            }
            hash ^= hash >>> 33;
            hash *= 0xFF51AFD7ED558CCDL;
            hash ^= hash >>> 33;
            return (int) hash;
        }

        /** Whether the current row's keys are a stored group's: by packed words when both pack, else by value. */
        boolean matches(GroupKey key) {
            if (packs) {
                long[] words = key.packed;
                if (words == null) {
                    return false; // packing depends on the values only: a group that did not pack is another
                }
                for (int i = 0; i < words.length; i++) {
                    if (words[i] != packedRow[i]) {
                        return false;
                    }
                }
                return true;
            }
            return isScratch(key.values);
        }

        /** The scratch keys' strings still in the row as UTF8Strings pointing into it (copied by {@link #owned}). */
        private void materialize() {
            for (int k = 0; k < keys; k++) {
                if (scratch[k] == IN_PLACE) {
                    scratch[k] = UTF8String.fromAddress(rowBase, at[k], length[k]);
                }
            }
        }

        /**
         * {@link Arrays#hashCode} of the scratch keys, a string's hash taken from its bytes wherever they are (the
         * same as {@link UTF8String#hashCode}), so a key in the row and a stored one hash alike.
         */
        private int scratchHash() {
            int hash = 1;
            for (int k = 0; k < keys; k++) {
                Object value = scratch[k];
                int h;
                if (value == null) {
                    h = 0;
                } else if (value == IN_PLACE) {
                    h = Murmur3_x86_32.hashUnsafeBytes(rowBase, at[k], length[k], (int) SPARK_SEED);
                } else if (value instanceof UTF8String s) {
                    h = Murmur3_x86_32.hashUnsafeBytes(s.getBaseObject(), s.getBaseOffset(), s.numBytes(),
                            (int) SPARK_SEED);
                } else {
                    h = value.hashCode();
                }
                hash = 31 * hash + h;
            }
            return hash;
        }

        /** Whether the scratch keys equal a stored group's {@code values} (a string in the row by its bytes). */
        boolean isScratch(Object[] values) {
            for (int k = 0; k < keys; k++) {
                Object a = scratch[k];
                Object b = values[k];
                if (a == IN_PLACE) {
                    if (!(b instanceof UTF8String s) || s.numBytes() != length[k]
                            || !ByteArrayMethods.arrayEquals(rowBase, at[k], s.getBaseObject(), s.getBaseOffset(),
                                    length[k])) {
                        return false;
                    }
                } else if (!Objects.equals(a, b)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * {@code row.get(k, type)}'s value (the same boxed internal value) through the type's own getter, chosen once:
         * the generic getter matches the type on every call, which the profile showed as the pass's largest cost.
         */
        private Object read(InternalRow row, int k) {
            return switch (readers[k]) {
                case STRING -> row.getUTF8String(k);
                case INT -> row.getInt(k);
                case LONG -> row.getLong(k);
                default -> row.get(k, keyTypes[k]);
            };
        }

        /** The slot holding the scratch keys (the previous row's first), or -1. */
        private int find() {
            if (last < used && slotKeys[last].hashCode == rowHash && matches(slotKeys[last])) {
                return last;
            }
            for (int i = 0; i < used; i++) {
                if (i != last && slotKeys[i].hashCode == rowHash && matches(slotKeys[i])) {
                    return i;
                }
            }
            return -1;
        }

        /**
         * Spark's {@code xxhash64(salt, unit, keys..)} as the SQL path computes it (a NULL argument is skipped):
         * XxHash64Function's own arithmetic per type (a string's bytes, an int, a long), called directly. Keys that
         * pack are hashed from their words ({@link ShortKeyHash} for a string), not read again from memory.
         */
        private long keyedHash(Object[] key, long[] packed) {
            long hash = unitHash;
            if (packed != null && LITTLE_ENDIAN) {
                for (int k = 0; k < keys; k++) {
                    long word = packed[2 * k];
                    long tag = packed[2 * k + 1];
                    if (tag != NULL_TAG) {
                        hash = switch (readers[k]) {
                            case STRING -> ShortKeyHash.xxhash64(word, (int) tag, hash);
                            case INT -> XXH64.hashInt((int) word, hash);
                            default -> XXH64.hashLong(word, hash); // only the three pack
                        };
                    }
                }
                return hash;
            }
            for (int k = 0; k < keys; k++) {
                Object value = key[k];
                if (value != null) {
                    hash = switch (readers[k]) {
                        case STRING -> {
                            if (value == IN_PLACE) {
                                yield XXH64.hashUnsafeBytes(rowBase, at[k], length[k], hash);
                            }
                            UTF8String s = (UTF8String) value;
                            yield XXH64.hashUnsafeBytes(s.getBaseObject(), s.getBaseOffset(), s.numBytes(), hash);
                        }
                        case INT -> XXH64.hashInt((Integer) value, hash);
                        case LONG -> XXH64.hashLong((Long) value, hash);
                        default -> XxHash64Function$.MODULE$.hash(value, keyTypes[k], hash);
                    };
                }
            }
            return hash;
        }

        private static Object[] owned(Object[] key) {
            Object[] values = key.clone();
            for (int k = 0; k < values.length; k++) {
                if (values[k] instanceof UTF8String s) {
                    values[k] = s.copy();
                }
            }
            return values;
        }

        /** The slot whose group comes last in the window order (every slot's hash computed first). */
        private int largest() {
            for (int i = 0; i < used; i++) {
                if (!hashed[i]) {
                    hashes[i] = keyedHash(slotKeys[i].values, slotKeys[i].packed);
                    hashed[i] = true;
                }
            }
            int largest = 0;
            for (int i = 1; i < used; i++) {
                if (before(hashes[largest], slotKeys[largest].values, hashes[i], slotKeys[i].values)) {
                    largest = i;
                }
            }
            return largest;
        }

        /** Adds the kept groups' capped partials to their partition groups and empties the state. */
        void flush() {
            for (int i = 0; i < used; i++) {
                double[] group = slotKeys[i].partial;
                int c = 0;
                for (int v = 0; v < kinds.length; v++) {
                    long n = counts[i][v];
                    switch (kinds[v]) {
                        case COUNT -> group[c++] += Math.min(n, linf);
                        case COUNT_DISTINCT_UNITS -> group[c++] += n > 0 ? 1 : 0;
                        case SUM -> group[c++] += scaled(sums[i][v], n);
                        case MEAN -> {
                            group[c++] += scaled(sums[i][v], n);
                            group[c++] += Math.min(n, linf);
                        }
                        case QUANTILE -> throw new IllegalStateException("quantiles are bounded by the SQL path");
                    }
                }
                group[width] += 1;
            }
            used = 0;
            last = 0;
        }

        private double scaled(double sum, long n) {
            return n > linf ? sum * (linf / (double) n) : sum;
        }
    }
}
