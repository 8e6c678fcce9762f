from rathaus.cases.tests.conftest import department, make_case  # noqa: F401
