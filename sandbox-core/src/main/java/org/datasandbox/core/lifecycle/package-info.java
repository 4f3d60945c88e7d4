/**
 * How one sandbox holds its data directory while it is open: one owner at a time
 * ({@link org.datasandbox.core.lifecycle.DataDirectoryLock}), and everything an open acquired given back, in
 * reverse order, when a later step of the open fails or the sandbox closes
 * ({@link org.datasandbox.core.lifecycle.OpenedResources}).
 */
package org.datasandbox.core.lifecycle;
