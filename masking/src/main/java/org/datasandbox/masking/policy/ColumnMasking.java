package org.datasandbox.masking.policy;

import java.util.Objects;
import org.datasandbox.masking.function.MaskingFunction;
import org.datasandbox.masking.function.ValueType;

/** One column's masking: the function and the column's type before and after. */
public record ColumnMasking(String column, ValueType inputType, MaskingFunction function) {

    public ColumnMasking {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(function, "function");
        function.outputType(inputType); // refuses a function that does not fit the column type
    }

    public ValueType outputType() {
        return function.outputType(inputType);
    }
}
