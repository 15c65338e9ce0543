# Regenerates reference.safetensors with the Hugging Face safetensors library (0.8.0 was used), so
# that SafetensorsReferenceTest compares this project's reader and writer with the reference.
import numpy as np
from safetensors.numpy import save_file

save_file({
    "w": np.array([1.5, -2.25], dtype=np.float64),
    "b": np.arange(6, dtype=np.float32).reshape(2, 3),
    "a": np.array([0.5, -1.0, 3.25], dtype=np.float32),
    "h": np.array([1.0, -2.0, 65504.0], dtype=np.float16),
    "i": np.array([-128, -1, 0, 1, 127], dtype=np.int8),
    "s": np.array(7, dtype=np.int32),
}, "reference.safetensors", metadata={"format": "np"})
