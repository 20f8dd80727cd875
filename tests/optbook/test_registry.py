"""The method registry: one table of names, aliases, colours, start values and problems."""

import pytest

import optlib
from optbook import registry


def test_every_optimizer_of_optlib_has_a_name_a_colour_and_start_values():
    assert list(registry.METHODS.values()) == list(optlib.ALL)
    for name, cls in registry.METHODS.items():
        assert name == cls.__name__
        assert registry.COLORS[name].startswith("#")
        known = {spec.name for spec in cls.hyperparams}
        assert set(registry.START_VALUES.get(name, {})) <= known, name


def test_aliases_name_registered_methods_and_have_the_colour_of_their_method():
    for alias, name in registry.ALIASES.items():
        assert name in registry.METHODS
        assert registry.method_name(alias) == name
        if alias in registry.COLORS:
            assert registry.COLORS[alias] == registry.COLORS[name]


def test_method_name_accepts_classes_and_names_and_refuses_the_unknown():
    assert registry.method_name(optlib.Adam) == "Adam"
    assert registry.method_name("RMSProp") == "RMSProp"
    with pytest.raises(ValueError, match="unknown method 'Shampoo'"):
        registry.method_name("Shampoo")


@pytest.mark.parametrize("name", list(registry.PROBLEMS))
def test_every_problem_starts_inside_its_plotting_window(name):
    problem = registry.PROBLEMS[name]
    f = problem.make()
    assert isinstance(f, optlib.Objective) and f.bounds is not None
    for value, (lo, hi) in zip(problem.start, f.bounds, strict=True):
        assert lo <= value <= hi
