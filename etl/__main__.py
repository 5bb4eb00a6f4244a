import sys

if sys.argv[1:2] in (["load"], ["validate"]):
    from etl.prestart import fork_server

    fork_server()  # before the imports below: the parse workers' server warms up meanwhile

from etl.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
