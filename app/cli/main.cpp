// app/cli/main.cpp - placeholder entry until the CLI lands.
int main() { return 0; }
