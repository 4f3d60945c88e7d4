package org.datasandbox.masking.function;

import org.datasandbox.masking.MaskingException;

/** A mask of numeric columns that keeps the column's type. */
interface NumberMask extends MaskingFunction {

    @Override
    default ValueType outputType(ValueType input) {
        if (!input.isNumeric()) {
            throw new MaskingException(name() + " applies to numeric columns, not " + input);
        }
        return input;
    }
}
