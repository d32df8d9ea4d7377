"""Writes the .npy fixtures of the `npy` tests with numpy (run in this directory)."""
import numpy as np

special = np.array([[0.1, -0.0, 1e-300], [5e-324, 1.7976931348623157e308, -2.5]])
np.save("c_f8.npy", special)
np.save("f_f8.npy", np.asfortranarray(special))
np.save("be_f8.npy", special.astype(">f8"))
np.save("f4.npy", np.array([[0.5, -1.25, 3.0], [1e-3, 2.0, -0.0]], dtype="<f4"))
np.save("i8.npy", np.array([[1, -2, 3], [2**53, -5, 0]], dtype="<i8"))
np.save("u1.npy", np.array([[0, 255], [7, 8]], dtype="u1"))
np.save("f_i4.npy", np.asfortranarray(np.array([[1, 2], [3, 4]], dtype="<i4")))
np.save("vec.npy", np.array([1.5, -2.0, 0.1]))
np.save("col.npy", np.array([[1.5], [-2.0], [0.1]]))
np.save("tensor3.npy", np.zeros((2, 2, 2)))
np.save("scalar.npy", np.float64(1.0))
np.save("c16.npy", np.zeros((2, 2), dtype=complex))
np.save("bool.npy", np.zeros((2, 2), dtype=bool))
np.save("str.npy", np.array(["a", "bc"]))
np.save("structured.npy", np.zeros(2, dtype=[("a", "<f8"), ("b", "<i4")]))
np.save("nan.npy", np.array([[1.0, np.nan], [3.0, 4.0]]))
np.save("f_inf.npy", np.asfortranarray(np.array([[1.0, 2.0], [-np.inf, 4.0]])))
np.save("empty.npy", np.zeros((0, 3)))
with open("v2.npy", "wb") as f:
    np.lib.format.write_array(f, special, version=(2, 0))
