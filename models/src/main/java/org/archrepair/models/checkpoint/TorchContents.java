package org.archrepair.models.checkpoint;

import java.util.Map;

/** What a torch.save reader returns: the unpickled object (holding {@link TensorRef}s) and each storage's data by key. */
record TorchContents(Object root, Map<String, StorageData> storages) {
}
