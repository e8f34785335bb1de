"""Keep pyarrow from importing pandas on a run that never needs it (`kzcn validate`, no rules).

pyarrow imports pandas, if installed, the first time it converts a Python object (`pa.array`,
`pa.scalar`, a compute function given a Python value), only to ask whether the object is a
pandas one: its Python shim once, its C++ converter on every conversion until it succeeds.
That import is 0.4 s of a 0.6 s cold `kzcn validate` on a small package, and layers 1 and 2
never hand pyarrow a pandas object; only the rules (layer 3) use pandas. So a command that will
run no rules calls `defer()`: `import pandas` fails at once (sys.modules["pandas"] is None)
and pyarrow carries on without it. `restore()` undoes it before anything needs pandas, and
makes pyarrow's shim import it for real (it retries on the first call that needs pandas).

Only the CLI calls `defer()`, and only when no rules file will be read: `kzcn.validate()` in
someone's notebook never changes how their pyarrow sees their pandas.
"""
from __future__ import annotations

import sys

_deferred = False


def defer() -> bool:
    """Hide pandas from pyarrow (pandas not yet imported, nothing here will need it); True if done."""
    global _deferred
    if "pandas" in sys.modules or _deferred:
        return False
    try:
        import pyarrow as pa

        shim = pa.lib._pandas_api
    except (ImportError, AttributeError):  # another pyarrow: nothing to defer
        return False
    sys.modules["pandas"] = None  # `import pandas` fails at once while this is set
    _deferred = True
    # The shim imports pyarrow.pandas_compat right after pandas (15 ms, and logging and
    # concurrent.futures with it) only to give up on pandas: hidden too, for that one look.
    hid_compat = "pyarrow.pandas_compat" not in sys.modules
    if hid_compat:
        sys.modules["pyarrow.pandas_compat"] = None
    try:
        shim.have_pandas  # the shim's first, quiet look: it finds no pandas and does not look again
    except Exception:  # noqa: BLE001 - Cython's import hands it None: it gives up, as meant
        pass
    finally:
        if hid_compat and sys.modules.get("pyarrow.pandas_compat", 0) is None:
            del sys.modules["pyarrow.pandas_compat"]  # restore() lets the shim import it for real
    return True


def restore() -> None:
    """Before pandas is used: let pyarrow import it and know it (a no-op unless deferred)."""
    global _deferred
    if not _deferred:
        return
    _deferred = False
    if sys.modules.get("pandas", 0) is None:
        del sys.modules["pandas"]
    import pyarrow as pa

    try:
        pa.lib._pandas_api.pd  # a call that needs pandas: the shim imports it now
    except Exception:  # noqa: BLE001 - pandas missing: the caller's own import says so
        pass


def import_pyarrow():
    """`import pyarrow`, without the cloudpickle it loads when installed (the dask extra brings it).

    pyarrow.lib takes cloudpickle, if importable, as its pickler for its own objects, and
    cloudpickle imports logging: 10-30 ms of a cold `kzcn validate` that pickles nothing. Hidden
    for that one import only (pyarrow then keeps the standard pickle, which serves every object
    kzcn makes), and visible again at once, so distributed still finds it for the Dask engine."""
    if "pyarrow" in sys.modules:
        return sys.modules["pyarrow"]
    hidden = "cloudpickle" not in sys.modules
    if hidden:
        sys.modules["cloudpickle"] = None
    try:
        import pyarrow
    finally:
        if hidden and sys.modules.get("cloudpickle", 0) is None:
            del sys.modules["cloudpickle"]
    return pyarrow
