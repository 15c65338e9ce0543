"""Writes the seed inputs of Llama2cFuzzTest: small valid llama2.c checkpoints and a small tokenizer.bin."""
import struct
from pathlib import Path

HERE = Path(__file__).parent / "Llama2cFuzzTestInputs"


def checkpoint(dim, hidden, layers, heads, kv_heads, vocab, seq_len):
    """Header, then every tensor in llama2.c's order (float i / 100), RoPE tables, optional classifier."""
    head = dim // heads
    kv_dim = head * kv_heads
    counts = [abs(vocab) * dim, layers * dim, layers * dim * dim, layers * dim * kv_dim, layers * dim * kv_dim,
              layers * dim * dim, layers * dim, layers * hidden * dim, layers * dim * hidden,
              layers * hidden * dim, dim, seq_len * head // 2, seq_len * head // 2]
    if vocab < 0:
        counts.append(abs(vocab) * dim)
    floats = [i / 100.0 for i in range(sum(counts))]
    return struct.pack("<7i", dim, hidden, layers, heads, kv_heads, vocab, seq_len) + struct.pack(
        f"<{len(floats)}f", *floats)


def tokenizer():
    """<unk>, <s>, </s>, the 256 byte tokens, then a few merges; max_token_length 6."""
    pieces = [(0.0, b"<unk>"), (0.0, b"\n<s>\n"), (0.0, b"\n</s>\n")]
    pieces += [(0.0, f"<0x{b:02X}>".encode()) for b in range(256)]
    pieces += [(-1.0, b" "), (-2.0, b"a"), (-3.0, b" a"), (-4.0, b"ab"), (-5.0, b" ab")]
    out = struct.pack("<i", 6)
    for score, piece in pieces:
        out += struct.pack("<fi", score, len(piece)) + piece
    return out


(HERE / "openArbitraryCheckpoint" / "shared_classifier").write_bytes(checkpoint(8, 16, 1, 2, 1, 6, 4))
(HERE / "openArbitraryCheckpoint" / "own_classifier").write_bytes(checkpoint(4, 8, 2, 2, 2, -5, 2))
(HERE / "loadArbitraryTokenizer" / "bytes_and_merges").write_bytes(tokenizer())
