/** Formats of Chinese identifiers: resident ID numbers (GB 11643) and mobile numbers. */
package org.datasandbox.masking.id;
