package org.datasandbox.api.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.datasandbox.core.sample.SyntheticPreview;

/** A synthetic sample's preview as the JSON of {@code SampleInfo.report_json}. */
final class PreviewJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PreviewJson() {
    }

    static String of(SyntheticPreview preview) {
        ObjectNode json = JSON.valueToTree(preview);
        json.put("preview", true);
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the preview could not be written", e);
        }
    }
}
