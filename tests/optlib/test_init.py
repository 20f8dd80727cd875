"""The package itself: `import optlib` stays light, the public names exist, the doctest holds."""

import doctest
import os
import subprocess
import sys

import optlib


def test_import_optlib_imports_no_plotting_widgets_yaml_sphinx_or_optbook():
    # A fresh interpreter: this test process has matplotlib loaded already (conftest).
    code = (
        "import sys, optlib, optlib.theory, optlib.schedules, optlib.frameworks;"
        "heavy = sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('matplotlib', 'ipywidgets', 'IPython', 'yaml', 'sphinx',"
        " 'optbook', 'myst_nb'));"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import optlib pulled in: {out.stdout.strip()}"


def test_the_check_above_can_see_matplotlib():
    # guards against a vacuous test: importing optlib.plotting does load matplotlib
    code = "import sys, optlib.plotting; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "MPLBACKEND": "Agg"})
    assert out.stdout.strip() == "True"


def test_public_names():
    for name in optlib.__all__:
        assert hasattr(optlib, name), name
    assert optlib.NOTES == (optlib.SGD, optlib.Momentum, optlib.Nesterov, optlib.AdaGrad,
                            optlib.RMSProp, optlib.AdaDelta, optlib.Adam, optlib.AdamW)
    assert optlib.AFTER_ADAM == (optlib.AMSGrad, optlib.NAdam, optlib.RAdam, optlib.Adamax,
                                 optlib.SignSGD, optlib.Lion, optlib.ScheduleFreeSGD,
                                 optlib.ScheduleFreeAdamW)
    assert optlib.ALL == optlib.NOTES + optlib.AFTER_ADAM
    assert optlib.MATRIX == (optlib.Adafactor, optlib.Muon)
    for cls in optlib.ALL + optlib.MATRIX:
        assert cls.rule, cls.__name__
        assert cls.__doc__ and "math::" in cls.__doc__, cls.__name__


def test_package_doctest():
    result = doctest.testmod(optlib, verbose=False)
    assert result.attempted >= 1 and result.failed == 0
