/**
 * Uploads on their way in: the bytes a provider streams are written, as they arrive, to a staging file
 * under a per-upload key that exists only in memory ({@link StagingArea}, {@link StagedUpload}), so an
 * upload of any size within the quota never sits in the heap and a crash leaves only ciphertext, which
 * the next start deletes.
 */
package org.datasandbox.core.upload;
