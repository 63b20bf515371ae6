# Warning and sanitizer flags for every target of this project (plugins built out of tree set
# their own).
add_compile_options(-Wall -Wextra -Wpedantic)
if(KERNTUNE_WERROR)
    add_compile_options(-Werror)
endif()
if(KERNTUNE_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()
