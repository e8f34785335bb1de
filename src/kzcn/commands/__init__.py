"""One module per `kzcn` subcommand: add_arguments(parser) and run(args) -> exit code."""
