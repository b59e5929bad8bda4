#!/usr/bin/env python3
"""Writes the small data files under tests/golden/data/ with numpy itself (np.save, np.savez,
np.savez_compressed, numpy.lib.format for versions 2.0 and 3.0), so ModelC.Data's readers are
checked against the real writer. Run with /usr/bin/python3 (numpy: apt install python3-numpy);
the outputs are committed, and tests/ModelC.Data.Tests/Formats/*Tests.cs hold the same values.
The .npz files embed zip timestamps, so rerunning changes their bytes but not their contents.
"""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def arrays():
    """The arrays the tests expect, by file stem."""
    return {
        "f32_2d": (np.arange(6, dtype=np.float32).reshape(2, 3) * 0.5 - 1),
        "f64_1d": np.array([0.1, -2.5, 1e300, -0.0], dtype=np.float64),
        "i32_3d": np.arange(24, dtype=np.int32).reshape(2, 3, 4) - 12,
        "i64_1d": np.array([-5, 0, 2**31 - 1, -(2**31)], dtype=np.int64),
        "bool_2d": np.array([[True, False, True], [False, False, True]]),
        "u8_1d": np.array([0, 1, 128, 255], dtype=np.uint8),
        "scalar_f32": np.array(3.5, dtype=np.float32),
        "empty_f32": np.zeros((0, 3), dtype=np.float32),
    }


def write_version(path, array, version):
    with open(path, "wb") as f:
        np.lib.format.write_array(f, array, version=version)


def main():
    os.makedirs(OUT, exist_ok=True)
    items = arrays()
    for stem, array in items.items():
        np.save(os.path.join(OUT, stem + ".npy"), array)
    write_version(os.path.join(OUT, "f32_2d_v2.npy"), items["f32_2d"], (2, 0))
    write_version(os.path.join(OUT, "f32_2d_v3.npy"), items["f32_2d"], (3, 0))

    # Refused, each with its own message.
    np.save(os.path.join(OUT, "fortran.npy"), np.asfortranarray(items["f32_2d"]))
    np.save(os.path.join(OUT, "big_endian.npy"), items["f32_2d"].astype(">f4"))
    np.save(os.path.join(OUT, "complex.npy"), np.array([1 + 2j, 3 - 4j], dtype=np.complex64))
    np.save(os.path.join(OUT, "i64_too_big.npy"), np.array([1, 2**40], dtype=np.int64))

    np.savez(os.path.join(OUT, "arrays.npz"), weights=items["f32_2d"], labels=items["i64_1d"], mask=items["bool_2d"])
    np.savez_compressed(os.path.join(OUT, "arrays_compressed.npz"), weights=items["f32_2d"], labels=items["i64_1d"], mask=items["bool_2d"])

    with open(os.path.join(OUT, "iris_tiny.csv"), "w", newline="") as f:
        f.write("sepal_length,sepal_width,petal_length,petal_width,species\n")
        f.write("5.1,3.5,1.4,0.2,0\n")
        f.write("7.0,3.2,4.7,1.4,1\n")
        f.write("\n")
        f.write("6.3,3.3,6.0,2.5,2\n")
        f.write("4.9,3.0,1.4,0.2,0\n")


if __name__ == "__main__":
    main()
