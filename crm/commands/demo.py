"""`python -m crm demo`: load the demo data set, idempotently."""

HELP = "load the demo data set (2020 H1 report, Taipei's partner cities); safe to run twice"


def add_arguments(parser) -> None:
    parser.add_argument("--synthetic", type=int, metavar="N", help="instead, generate N synthetic engagements")
    parser.add_argument("--seed", type=int, default=1, help="random seed for --synthetic")


def run(args) -> int:
    from crm.accounts.users import ensure_local_user
    from crm.commands import ready_engine

    ready_engine()
    actor = ensure_local_user()
    if args.synthetic:
        try:
            from crm.bench.synthetic import generate
        except ModuleNotFoundError:
            print("synthetic data is not available in this version")
            return 2
        print(generate(args.synthetic, seed=args.seed))
        return 0
    from crm.demo.loader import load_demo

    created = load_demo(actor)
    print(f"demo data loaded: {created} records created" if created else "demo data already loaded: nothing to add")
    return 0
