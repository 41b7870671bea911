/* Links the installed libcpet and calls into it. */
#include <cpet/cpet.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  cpet_traj *t = NULL;
  if (cpet_traj_create("consumer", &t) != CPET_OK) return 1;
  int ok = strcmp(cpet_traj_name(t), "consumer") == 0 &&
           strcmp(cpet_errname(CPET_ERR_NAME), "CPET_ERR_NAME") == 0;
  cpet_traj_free(t);
  printf("%s %s\n", CPET_VERSION_STRING, ok ? "ok" : "wrong");
  return ok ? 0 : 1;
}
