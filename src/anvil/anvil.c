/* anvil.c: placeholder of the issue-9 integration branch; its owner replaces it. */
int main(void);
int main(void)
{
    return 1;
}
