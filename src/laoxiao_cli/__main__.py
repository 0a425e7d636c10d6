from laoxiao_cli.cli.app import main

main()
