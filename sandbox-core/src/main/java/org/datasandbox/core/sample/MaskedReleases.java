package org.datasandbox.core.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.datasandbox.core.policy.ColumnPolicy;
import org.datasandbox.core.policy.TablePolicy;
import org.datasandbox.masking.policy.MaskingSpec;
import org.datasandbox.sample.release.MaskedRelease;
import org.datasandbox.sample.release.ShownCell;
import org.datasandbox.sample.release.ShownColumn;
import org.datasandbox.sample.sampling.AnonymitySpec;
import org.datasandbox.sample.sampling.Generalization;

/** What a masked sample shows of each served column, as {@link org.datasandbox.sample.release.ReleaseRule} compares releases. */
final class MaskedReleases {

    private MaskedReleases() {
    }

    /**
     * @param columns the sample's columns; only the granted ones are served
     * @param levels the anonymizer's level per attacker-known column; other columns are served as masked
     */
    static MaskedRelease of(TablePolicy policy, String[] columns, Set<String> granted, AnonymitySpec spec,
                            Map<String, Integer> levels, List<String> dataVersions, double fraction, String stratifyBy) {
        Map<String, ShownColumn> shown = new LinkedHashMap<>();
        for (String name : columns) {
            if (!granted.contains(name)) {
                continue;
            }
            ColumnPolicy column = policy.column(name).orElseThrow();
            Generalization ladder = spec.known().get(name);
            ShownCell cell = ladder == null ? ShownCell.asMasked() : ShownCell.of(ladder, levels.getOrDefault(name, 0));
            shown.put(name, new ShownColumn(describe(column.mask()), cell));
        }
        return new MaskedRelease(dataVersions, policy.version(), fraction, stratifyBy, shown);
    }

    /** The mask as the policy writes it, without the admin's recorded reason (which changes no value). */
    static String describe(MaskingSpec mask) {
        Map<String, String> params = new TreeMap<>(mask.params());
        params.remove("reason");
        if (params.isEmpty()) {
            return mask.function();
        }
        StringBuilder text = new StringBuilder(mask.function()).append('(');
        params.forEach((name, value) -> text.append(name).append('=').append(value).append(','));
        text.setLength(text.length() - 1);
        return text.append(')').toString();
    }
}
