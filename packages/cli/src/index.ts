export const CLI_PLACEHOLDER = 1;
