/* The version of paraphe, shown by --version and in generated pages. */
#ifndef PARAPHE_VERSION_H
#define PARAPHE_VERSION_H

#define PARAPHE_VERSION "0.1.0"

#endif
